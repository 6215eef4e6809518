package dev.teeflow.protocol.order;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PoCo WorkerpoolOrder. Addresses and bytes32 are normalised to lowercase; optional restrictions default to the
 * zero address, tag to zero, volume to 1. salt and sign stay null until salted and signed.
 */
public record WorkerpoolOrder(
        String workerpool,
        BigInteger workerpoolprice,
        BigInteger volume,
        String tag,
        BigInteger category,
        BigInteger trust,
        String apprestrict,
        String datasetrestrict,
        String requesterrestrict,
        String salt,
        String sign) implements PocoOrder {
    private static final String T = "workerpoolorder";

    public WorkerpoolOrder {
        workerpool = Fields.address(T, "workerpool", workerpool, false);
        workerpoolprice = Fields.uint(T, "workerpoolprice", workerpoolprice, BigInteger.ZERO);
        volume = Fields.uint(T, "volume", volume, BigInteger.ONE);
        tag = Fields.bytes32(T, "tag", tag, true);
        category = Fields.uint(T, "category", category, BigInteger.ZERO);
        trust = Fields.uint(T, "trust", trust, BigInteger.ZERO);
        apprestrict = Fields.address(T, "apprestrict", apprestrict, true);
        datasetrestrict = Fields.address(T, "datasetrestrict", datasetrestrict, true);
        requesterrestrict = Fields.address(T, "requesterrestrict", requesterrestrict, true);
        salt = Fields.optionalBytes32(T, "salt", salt);
        sign = Fields.optionalSign(T, sign);
    }

    @Override
    public OrderKind kind() {
        return OrderKind.WORKERPOOL;
    }

    @Override
    public Map<String, Object> values() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workerpool", workerpool);
        m.put("workerpoolprice", workerpoolprice);
        m.put("volume", volume);
        m.put("tag", tag);
        m.put("category", category);
        m.put("trust", trust);
        m.put("apprestrict", apprestrict);
        m.put("datasetrestrict", datasetrestrict);
        m.put("requesterrestrict", requesterrestrict);
        m.put("salt", salt);
        return Collections.unmodifiableMap(m);
    }

    @Override
    public WorkerpoolOrder withSalt(String newSalt) {
        return new WorkerpoolOrder(workerpool, workerpoolprice, volume, tag, category, trust, apprestrict, datasetrestrict, requesterrestrict, newSalt, null);
    }

    @Override
    public WorkerpoolOrder withSign(String newSign) {
        return new WorkerpoolOrder(workerpool, workerpoolprice, volume, tag, category, trust, apprestrict, datasetrestrict, requesterrestrict, salt, newSign);
    }
}
