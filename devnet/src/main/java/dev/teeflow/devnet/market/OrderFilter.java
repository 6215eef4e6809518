package dev.teeflow.devnet.market;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import dev.teeflow.protocol.order.OrderKind;
import dev.teeflow.protocol.order.PocoOrder;
import dev.teeflow.protocol.order.Tags;
import dev.teeflow.protocol.sign.Hex;

/**
 * The orderbook query filters of the market API, with its semantics: a restriction filter given an address
 * matches orders restricted to it or unrestricted (only to it when {@code is<X>Strict=true}); "any" disables
 * the filter; an absent restriction filter matches only unrestricted orders. minTag: all its bits set;
 * maxTag: no bit outside it.
 */
final class OrderFilter {
    private OrderFilter() {
    }

    /** A predicate over (order, remaining volume). */
    interface Match {
        boolean test(StoredOrder order, BigInteger remaining);
    }

    static Match parse(OrderKind kind, Map<String, String> q) {
        Match m = (o, r) -> true;
        switch (kind) {
            case APP -> {
                if (q.get("app") == null && q.get("appOwner") == null) {
                    throw MarketError.validation("app or appOwner is required");
                }
                m = and(m, required("app", q.get("app")));
                m = and(m, signer(q.get("appOwner")));
                m = and(m, restrict("datasetrestrict", q.get("dataset"), bool(q, "isDatasetStrict")));
                m = and(m, restrict("workerpoolrestrict", q.get("workerpool"), bool(q, "isWorkerpoolStrict")));
                m = and(m, restrict("requesterrestrict", q.get("requester"), bool(q, "isRequesterStrict")));
            }
            case DATASET -> {
                if (q.get("dataset") == null && q.get("datasetOwner") == null) {
                    throw MarketError.validation("dataset or datasetOwner is required");
                }
                m = and(m, required("dataset", q.get("dataset")));
                m = and(m, signer(q.get("datasetOwner")));
                m = and(m, restrict("apprestrict", q.get("app"), bool(q, "isAppStrict")));
                m = and(m, restrict("workerpoolrestrict", q.get("workerpool"), bool(q, "isWorkerpoolStrict")));
                m = and(m, restrict("requesterrestrict", q.get("requester"), bool(q, "isRequesterStrict")));
                if (bool(q, "bulkOnly")) {
                    m = and(m, (o, r) -> ((BigInteger) o.order().values().get("datasetprice")).signum() == 0
                            && o.order().volume().compareTo(BigInteger.valueOf(9007199254740990L)) >= 0);
                }
            }
            case WORKERPOOL -> {
                m = and(m, required("workerpool", q.get("workerpool")));
                m = and(m, signer(q.get("workerpoolOwner")));
                m = and(m, uintEquals("category", q.get("category")));
                m = and(m, restrict("apprestrict", q.get("app"), bool(q, "isAppStrict")));
                m = and(m, restrict("datasetrestrict", q.get("dataset"), bool(q, "isDatasetStrict")));
                m = and(m, restrict("requesterrestrict", q.get("requester"), bool(q, "isRequesterStrict")));
                BigInteger minTrust = uint(q, "minTrust");
                if (minTrust != null && minTrust.compareTo(BigInteger.ONE) > 0) {
                    m = and(m, (o, r) -> ((BigInteger) o.order().values().get("trust")).compareTo(minTrust) >= 0);
                }
            }
            case REQUEST -> {
                m = and(m, uintEquals("category", q.get("category")));
                m = and(m, required("app", q.get("app")));
                m = and(m, required("dataset", q.get("dataset")));
                m = and(m, required("requester", q.get("requester")));
                m = and(m, required("beneficiary", q.get("beneficiary")));
                m = and(m, restrict("workerpool", q.get("workerpool"), bool(q, "isWorkerpoolStrict")));
                BigInteger maxTrust = uint(q, "maxTrust");
                if (maxTrust != null) {
                    m = and(m, (o, r) -> ((BigInteger) o.order().values().get("trust")).compareTo(maxTrust) <= 0);
                }
            }
        }
        BigInteger minVolume = uint(q, "minVolume");
        if (minVolume != null) {
            if (minVolume.signum() == 0) {
                throw MarketError.validation("minVolume must be greater than or equal to 1");
            }
            m = and(m, (o, r) -> r.compareTo(minVolume) >= 0);
        }
        String minTag = tag(q, "minTag");
        if (minTag != null) {
            m = and(m, (o, r) -> Tags.contains(o.order().tag(), minTag));
        }
        String maxTag = tag(q, "maxTag");
        if (maxTag != null) {
            m = and(m, (o, r) -> Tags.contains(maxTag, o.order().tag()));
        }
        return m;
    }

    private static Match and(Match a, Match b) {
        return b == null ? a : (o, r) -> a.test(o, r) && b.test(o, r);
    }

    private static Match required(String field, String value) {
        if (value == null || value.equals("any")) {
            return null;
        }
        String v = address(field, value);
        return (o, r) -> field(o.order(), field).equals(v);
    }

    private static Match signer(String value) {
        if (value == null) {
            return null;
        }
        String v = address("owner", value);
        return (o, r) -> o.signer().equals(v);
    }

    private static Match restrict(String field, String value, boolean strict) {
        if ("any".equals(value)) {
            return null;
        }
        if (value == null) {
            return (o, r) -> field(o.order(), field).equals(PocoOrder.NULL_ADDRESS);
        }
        String v = address(field, value);
        Predicate<String> ok = strict ? v::equals : s -> s.equals(v) || s.equals(PocoOrder.NULL_ADDRESS);
        return (o, r) -> ok.test(field(o.order(), field));
    }

    private static Match uintEquals(String field, String value) {
        if (value == null) {
            return null;
        }
        BigInteger v = parseUint(field, value);
        return (o, r) -> o.order().values().get(field).equals(v);
    }

    private static String field(PocoOrder order, String field) {
        return (String) order.values().get(field);
    }

    private static String address(String field, String value) {
        if (!Hex.isAddress(value)) {
            throw MarketError.validation(field + " is neither \"any\" nor a valid ethereum address");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private static boolean bool(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null) {
            return false;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw MarketError.validation(name + " must be a `boolean` type");
        }
        return v.equals("true");
    }

    static BigInteger uint(Map<String, String> q, String name) {
        String v = q.get(name);
        return v == null ? null : parseUint(name, v);
    }

    private static BigInteger parseUint(String name, String v) {
        try {
            BigInteger b = new BigInteger(v);
            if (b.signum() < 0) {
                throw MarketError.validation(name + " must be greater than or equal to 0");
            }
            return b;
        } catch (NumberFormatException e) {
            throw MarketError.validation(name + " must be a `number` type");
        }
    }

    private static String tag(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null) {
            return null;
        }
        if (!Hex.isBytes32(v)) {
            throw MarketError.validation(name + " must be a bytes32 hexstring");
        }
        return v.toLowerCase(Locale.ROOT);
    }
}
