package dev.teeflow.protocol.order;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PoCo DatasetOrder. Addresses and bytes32 are normalised to lowercase; optional restrictions default to the
 * zero address, tag to zero, volume to 1. salt and sign stay null until salted and signed.
 */
public record DatasetOrder(
        String dataset,
        BigInteger datasetprice,
        BigInteger volume,
        String tag,
        String apprestrict,
        String workerpoolrestrict,
        String requesterrestrict,
        String salt,
        String sign) implements PocoOrder {
    private static final String T = "datasetorder";

    public DatasetOrder {
        dataset = Fields.address(T, "dataset", dataset, false);
        datasetprice = Fields.uint(T, "datasetprice", datasetprice, BigInteger.ZERO);
        volume = Fields.uint(T, "volume", volume, BigInteger.ONE);
        tag = Fields.bytes32(T, "tag", tag, true);
        apprestrict = Fields.address(T, "apprestrict", apprestrict, true);
        workerpoolrestrict = Fields.address(T, "workerpoolrestrict", workerpoolrestrict, true);
        requesterrestrict = Fields.address(T, "requesterrestrict", requesterrestrict, true);
        salt = Fields.optionalBytes32(T, "salt", salt);
        sign = Fields.optionalSign(T, sign);
    }

    @Override
    public OrderKind kind() {
        return OrderKind.DATASET;
    }

    @Override
    public Map<String, Object> values() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put("datasetprice", datasetprice);
        m.put("volume", volume);
        m.put("tag", tag);
        m.put("apprestrict", apprestrict);
        m.put("workerpoolrestrict", workerpoolrestrict);
        m.put("requesterrestrict", requesterrestrict);
        m.put("salt", salt);
        return Collections.unmodifiableMap(m);
    }

    @Override
    public DatasetOrder withSalt(String newSalt) {
        return new DatasetOrder(dataset, datasetprice, volume, tag, apprestrict, workerpoolrestrict, requesterrestrict, newSalt, null);
    }

    @Override
    public DatasetOrder withSign(String newSign) {
        return new DatasetOrder(dataset, datasetprice, volume, tag, apprestrict, workerpoolrestrict, requesterrestrict, salt, newSign);
    }
}
