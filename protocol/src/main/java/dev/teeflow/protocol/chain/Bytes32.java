package dev.teeflow.protocol.chain;

import org.web3j.utils.Numeric;

/** Checks and converts 0x-prefixed 32-byte hex values (checksums, deal and task ids). */
public final class Bytes32 {
    private Bytes32() {
    }

    public static String check(String hex, String what) {
        if (hex == null || !hex.matches("0x[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException(what + " must be 0x followed by 64 hex digits, got: " + hex);
        }
        return hex;
    }

    public static byte[] bytes(String hex, String what) {
        return Numeric.hexStringToByteArray(check(hex, what));
    }
}
