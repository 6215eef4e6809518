package dev.teeflow.protocol.order;

import java.math.BigInteger;
import java.util.Locale;

import dev.teeflow.protocol.sign.Hex;

/** Validation and normalisation of order fields; messages name the order type and the field. */
final class Fields {
    private Fields() {
    }

    static String address(String order, String field, String value, boolean nullMeansZero) {
        if (value == null && nullMeansZero) {
            return PocoOrder.NULL_ADDRESS;
        }
        if (!Hex.isAddress(value)) {
            throw new IllegalArgumentException(order + "." + field + " must be an address (0x + 40 hex digits), got '" + value + "'");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    static String bytes32(String order, String field, String value, boolean nullMeansZero) {
        if (value == null && nullMeansZero) {
            return PocoOrder.NULL_BYTES32;
        }
        if (!Hex.isBytes32(value)) {
            throw new IllegalArgumentException(order + "." + field + " must be a bytes32 (0x + 64 hex digits), got '" + value + "'");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    static String optionalBytes32(String order, String field, String value) {
        return value == null ? null : bytes32(order, field, value, false);
    }

    static String optionalSign(String order, String value) {
        if (value == null) {
            return null;
        }
        if (!value.matches("0x([0-9a-fA-F]{2})+")) {
            throw new IllegalArgumentException(order + ".sign must be a hex signature, got '" + value + "'");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    static BigInteger uint(String order, String field, BigInteger value, BigInteger defaultValue) {
        BigInteger v = value == null ? defaultValue : value;
        if (v == null) {
            throw new IllegalArgumentException(order + "." + field + " is missing");
        }
        if (v.signum() < 0 || v.bitLength() > 256) {
            throw new IllegalArgumentException(order + "." + field + " must be a uint256, got " + v);
        }
        return v;
    }
}
