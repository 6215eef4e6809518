package dev.teeflow.protocol.order;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PoCo AppOrder. Addresses and bytes32 are normalised to lowercase; optional restrictions default to the
 * zero address, tag to zero, volume to 1. salt and sign stay null until salted and signed.
 */
public record AppOrder(
        String app,
        BigInteger appprice,
        BigInteger volume,
        String tag,
        String datasetrestrict,
        String workerpoolrestrict,
        String requesterrestrict,
        String salt,
        String sign) implements PocoOrder {
    private static final String T = "apporder";

    public AppOrder {
        app = Fields.address(T, "app", app, false);
        appprice = Fields.uint(T, "appprice", appprice, BigInteger.ZERO);
        volume = Fields.uint(T, "volume", volume, BigInteger.ONE);
        tag = Fields.bytes32(T, "tag", tag, true);
        datasetrestrict = Fields.address(T, "datasetrestrict", datasetrestrict, true);
        workerpoolrestrict = Fields.address(T, "workerpoolrestrict", workerpoolrestrict, true);
        requesterrestrict = Fields.address(T, "requesterrestrict", requesterrestrict, true);
        salt = Fields.optionalBytes32(T, "salt", salt);
        sign = Fields.optionalSign(T, sign);
    }

    @Override
    public OrderKind kind() {
        return OrderKind.APP;
    }

    @Override
    public Map<String, Object> values() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("app", app);
        m.put("appprice", appprice);
        m.put("volume", volume);
        m.put("tag", tag);
        m.put("datasetrestrict", datasetrestrict);
        m.put("workerpoolrestrict", workerpoolrestrict);
        m.put("requesterrestrict", requesterrestrict);
        m.put("salt", salt);
        return Collections.unmodifiableMap(m);
    }

    @Override
    public AppOrder withSalt(String newSalt) {
        return new AppOrder(app, appprice, volume, tag, datasetrestrict, workerpoolrestrict, requesterrestrict, newSalt, null);
    }

    @Override
    public AppOrder withSign(String newSign) {
        return new AppOrder(app, appprice, volume, tag, datasetrestrict, workerpoolrestrict, requesterrestrict, salt, newSign);
    }
}
