package dev.teeflow.protocol.order;

import java.math.BigInteger;
import java.util.Map;

import org.web3j.crypto.Keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Orders as JSON, in the shapes the iExec SDK and the market API use: field names as in the struct plus
 * {@code sign}. {@link #toJson} writes uint256 values as decimal strings (what the SDK signs and posts);
 * {@link #toMarketJson} writes them as numbers and addresses checksummed (what the market API returns).
 */
public final class OrderJson {
    private OrderJson() {
    }

    public static ObjectNode toJson(PocoOrder order) {
        return write(order, false);
    }

    public static ObjectNode toMarketJson(PocoOrder order) {
        return write(order, true);
    }

    private static ObjectNode write(PocoOrder order, boolean market) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (var field : order.kind().type().fields()) {
            Object v = order.values().get(field.name());
            if (v == null) {
                continue;
            }
            switch (field.type()) {
                case "uint256" -> {
                    BigInteger b = (BigInteger) v;
                    if (market && b.bitLength() < 53) {
                        o.put(field.name(), b.longValue());
                    } else {
                        o.put(field.name(), b.toString());
                    }
                }
                case "address" -> o.put(field.name(), market ? Keys.toChecksumAddress((String) v) : (String) v);
                default -> o.put(field.name(), v.toString());
            }
        }
        if (order.sign() != null) {
            o.put("sign", order.sign());
        }
        return o;
    }

    /** Reads an order of the given kind; numbers may be JSON numbers or decimal strings. */
    public static PocoOrder fromJson(OrderKind kind, JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException(kind.apiName() + " must be a JSON object");
        }
        Reader r = new Reader(kind.apiName(), json);
        return switch (kind) {
            case APP -> new AppOrder(r.s("app"), r.u("appprice"), r.u("volume"), r.s("tag"),
                    r.s("datasetrestrict"), r.s("workerpoolrestrict"), r.s("requesterrestrict"), r.s("salt"), r.s("sign"));
            case DATASET -> new DatasetOrder(r.s("dataset"), r.u("datasetprice"), r.u("volume"), r.s("tag"),
                    r.s("apprestrict"), r.s("workerpoolrestrict"), r.s("requesterrestrict"), r.s("salt"), r.s("sign"));
            case WORKERPOOL -> new WorkerpoolOrder(r.s("workerpool"), r.u("workerpoolprice"), r.u("volume"), r.s("tag"),
                    r.u("category"), r.u("trust"), r.s("apprestrict"), r.s("datasetrestrict"), r.s("requesterrestrict"),
                    r.s("salt"), r.s("sign"));
            case REQUEST -> new RequestOrder(r.s("app"), r.u("appmaxprice"), r.s("dataset"), r.u("datasetmaxprice"),
                    r.s("workerpool"), r.u("workerpoolmaxprice"), r.s("requester"), r.u("volume"), r.s("tag"),
                    r.u("category"), r.u("trust"), r.s("beneficiary"), r.s("callback"), r.s("params"),
                    r.s("salt"), r.s("sign"));
        };
    }

    /** Struct values of an order keyed by name, for callers that want a plain map. */
    public static Map<String, Object> values(PocoOrder order) {
        return order.values();
    }

    private record Reader(String order, JsonNode json) {
        String s(String field) {
            JsonNode n = json.get(field);
            return n == null || n.isNull() ? null : n.asText();
        }

        BigInteger u(String field) {
            JsonNode n = json.get(field);
            if (n == null || n.isNull()) {
                return null;
            }
            if (n.isIntegralNumber()) {
                return n.bigIntegerValue();
            }
            try {
                return new BigInteger(n.asText().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(order + "." + field + " must be an integer, got '" + n.asText() + "'");
            }
        }
    }
}
