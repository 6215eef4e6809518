package dev.teeflow.protocol.sign;

import java.util.HexFormat;
import java.util.Locale;

/** Lowercase 0x-prefixed hex, the way every iExec API writes bytes. */
public final class Hex {
    private static final HexFormat HEX = HexFormat.of();

    private Hex() {
    }

    public static String encode(byte[] bytes) {
        return "0x" + HEX.formatHex(bytes);
    }

    /** Decodes hex with or without 0x; throws IllegalArgumentException naming the bad value. */
    public static byte[] decode(String hex) {
        String s = strip(hex);
        if (s.length() % 2 != 0 || !s.matches("[0-9a-fA-F]*")) {
            throw new IllegalArgumentException("not a hex string: '" + abbreviate(hex) + "'");
        }
        return HEX.parseHex(s.toLowerCase(Locale.ROOT));
    }

    /** 20 bytes of an address given as 0x + 40 hex digits (any case). */
    public static byte[] address(String address) {
        if (!isAddress(address)) {
            throw new IllegalArgumentException("not an address (0x + 40 hex digits): '" + abbreviate(address) + "'");
        }
        return decode(address);
    }

    public static boolean isAddress(String value) {
        return value != null && value.matches("0x[0-9a-fA-F]{40}");
    }

    public static boolean isBytes32(String value) {
        return value != null && value.matches("0x[0-9a-fA-F]{64}");
    }

    static String strip(String hex) {
        if (hex == null) {
            throw new IllegalArgumentException("hex string is missing");
        }
        return hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
