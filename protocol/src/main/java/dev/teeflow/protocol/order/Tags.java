package dev.teeflow.protocol.order;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.teeflow.protocol.sign.Hex;

/**
 * Order tags: bits of a bytes32. tee = bit 0, scone = bit 1, gramine = bit 2, tdx = bit 3, gpu = bit 8.
 * {@code "tee,scone"} is {@code 0x..03}, {@code "tee,tdx"} is {@code 0x..09}.
 */
public final class Tags {
    private static final Map<String, Integer> BITS = new LinkedHashMap<>();

    static {
        BITS.put("tee", 0);
        BITS.put("scone", 1);
        BITS.put("gramine", 2);
        BITS.put("tdx", 3);
        BITS.put("gpu", 8);
    }

    private Tags() {
    }

    /** Comma-separated names, or a bytes32 hex tag, to a lowercase bytes32. Empty = zero tag. */
    public static String parse(String tag) {
        if (tag == null || tag.isBlank()) {
            return PocoOrder.NULL_BYTES32;
        }
        String t = tag.trim();
        if (t.startsWith("0x")) {
            if (!Hex.isBytes32(t)) {
                throw new IllegalArgumentException("tag '" + tag + "' must be a bytes32 (0x + 64 hex digits) or names like tee,scone");
            }
            return t.toLowerCase(Locale.ROOT);
        }
        return fromNames(List.of(t.split(",")));
    }

    public static String fromNames(List<String> names) {
        BigInteger v = BigInteger.ZERO;
        for (String raw : names) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            Integer bit = BITS.get(name);
            if (bit == null) {
                throw new IllegalArgumentException("unknown tag '" + raw.trim() + "'; known tags: " + String.join(", ", BITS.keySet()));
            }
            v = v.setBit(bit);
        }
        return toBytes32(v);
    }

    /** Names of the known bits set in a bytes32 tag (unknown bits are reported as "bit<N>"). */
    public static List<String> names(String bytes32Tag) {
        BigInteger v = toBigInteger(bytes32Tag);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.bitLength(); i++) {
            if (v.testBit(i)) {
                int bit = i;
                out.add(BITS.entrySet().stream().filter(e -> e.getValue() == bit).map(Map.Entry::getKey)
                        .findFirst().orElse("bit" + i));
            }
        }
        return out;
    }

    /** True when every bit of required is set in tag. */
    public static boolean contains(String tag, String required) {
        BigInteger req = toBigInteger(required);
        return toBigInteger(tag).and(req).equals(req);
    }

    /** Bitwise or of tags. */
    public static String or(String... tags) {
        BigInteger v = BigInteger.ZERO;
        for (String t : tags) {
            v = v.or(toBigInteger(t));
        }
        return toBytes32(v);
    }

    public static BigInteger toBigInteger(String bytes32Tag) {
        return new BigInteger(1, Hex.decode(bytes32Tag));
    }

    static String toBytes32(BigInteger v) {
        String hex = v.toString(16);
        return "0x" + "0".repeat(64 - hex.length()) + hex;
    }
}
