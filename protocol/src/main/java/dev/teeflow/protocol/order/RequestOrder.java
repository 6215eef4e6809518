package dev.teeflow.protocol.order;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PoCo RequestOrder. Addresses and bytes32 are normalised to lowercase; optional restrictions default to the
 * zero address, tag to zero, volume to 1. salt and sign stay null until salted and signed.
 */
public record RequestOrder(
        String app,
        BigInteger appmaxprice,
        String dataset,
        BigInteger datasetmaxprice,
        String workerpool,
        BigInteger workerpoolmaxprice,
        String requester,
        BigInteger volume,
        String tag,
        BigInteger category,
        BigInteger trust,
        String beneficiary,
        String callback,
        String params,
        String salt,
        String sign) implements PocoOrder {
    private static final String T = "requestorder";

    public RequestOrder {
        app = Fields.address(T, "app", app, false);
        appmaxprice = Fields.uint(T, "appmaxprice", appmaxprice, BigInteger.ZERO);
        dataset = Fields.address(T, "dataset", dataset, true);
        datasetmaxprice = Fields.uint(T, "datasetmaxprice", datasetmaxprice, BigInteger.ZERO);
        workerpool = Fields.address(T, "workerpool", workerpool, true);
        workerpoolmaxprice = Fields.uint(T, "workerpoolmaxprice", workerpoolmaxprice, BigInteger.ZERO);
        requester = Fields.address(T, "requester", requester, false);
        volume = Fields.uint(T, "volume", volume, BigInteger.ONE);
        tag = Fields.bytes32(T, "tag", tag, true);
        category = Fields.uint(T, "category", category, BigInteger.ZERO);
        trust = Fields.uint(T, "trust", trust, BigInteger.ZERO);
        beneficiary = Fields.address(T, "beneficiary", beneficiary, false);
        callback = Fields.address(T, "callback", callback, true);
        params = params == null ? "" : params;
        salt = Fields.optionalBytes32(T, "salt", salt);
        sign = Fields.optionalSign(T, sign);
    }

    @Override
    public OrderKind kind() {
        return OrderKind.REQUEST;
    }

    @Override
    public Map<String, Object> values() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("app", app);
        m.put("appmaxprice", appmaxprice);
        m.put("dataset", dataset);
        m.put("datasetmaxprice", datasetmaxprice);
        m.put("workerpool", workerpool);
        m.put("workerpoolmaxprice", workerpoolmaxprice);
        m.put("requester", requester);
        m.put("volume", volume);
        m.put("tag", tag);
        m.put("category", category);
        m.put("trust", trust);
        m.put("beneficiary", beneficiary);
        m.put("callback", callback);
        m.put("params", params);
        m.put("salt", salt);
        return Collections.unmodifiableMap(m);
    }

    @Override
    public RequestOrder withSalt(String newSalt) {
        return new RequestOrder(app, appmaxprice, dataset, datasetmaxprice, workerpool, workerpoolmaxprice, requester, volume, tag, category, trust, beneficiary, callback, params, newSalt, null);
    }

    @Override
    public RequestOrder withSign(String newSign) {
        return new RequestOrder(app, appmaxprice, dataset, datasetmaxprice, workerpool, workerpoolmaxprice, requester, volume, tag, category, trust, beneficiary, callback, params, salt, newSign);
    }
}
