package dev.teeflow.protocol.order;

import java.util.Map;

/**
 * A PoCo order. {@link #values()} holds the EIP-712 struct fields in type order (salt included, sign not);
 * salt and sign are null until the order is salted and signed.
 */
public sealed interface PocoOrder permits AppOrder, DatasetOrder, WorkerpoolOrder, RequestOrder {
    String NULL_ADDRESS = "0x0000000000000000000000000000000000000000";
    String NULL_BYTES32 = "0x0000000000000000000000000000000000000000000000000000000000000000";

    OrderKind kind();

    /** Struct field name to value (String addresses/bytes32/string, BigInteger uint256), in type order. */
    Map<String, Object> values();

    String salt();

    String sign();

    PocoOrder withSalt(String salt);

    PocoOrder withSign(String sign);

    /** The address in {@link OrderKind#addressField()}. */
    default String address() {
        return (String) values().get(kind().addressField());
    }

    default java.math.BigInteger volume() {
        return (java.math.BigInteger) values().get("volume");
    }

    default String tag() {
        return (String) values().get("tag");
    }
}
