package dev.teeflow.protocol.chain;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code multiaddr} bytes of an app or dataset, as the iExec SDK writes them: the binary multiaddr
 * when the text is one ({@code /ipfs/<cid>}, {@code /p2p/<cid>}), otherwise the UTF-8 bytes of the text
 * (docker image references, https URLs). A CIDv1 is reduced to its multihash, as the SDK's multiaddr
 * library does.
 */
public final class Multiaddr {
    private static final int IPFS = 421; // the multicodec of /ipfs and /p2p
    private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

    private Multiaddr() {
    }

    public static byte[] encode(String text) {
        byte[] binary = tryBinary(text);
        return binary != null ? binary : text.getBytes(StandardCharsets.UTF_8);
    }

    /** The text form of on-chain multiaddr bytes (the inverse of {@link #encode}). */
    public static String decode(byte[] bytes) {
        if (bytes.length > 2 && (bytes[0] & 0xff) == 0xa5 && bytes[1] == 0x03) {
            int[] pos = {2};
            long length = readVarint(bytes, pos);
            if (length > 0 && pos[0] + length == bytes.length) {
                return "/ipfs/" + base58(Arrays.copyOfRange(bytes, pos[0], bytes.length));
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] tryBinary(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length != 3 || !parts[0].isEmpty()) {
            return null;
        }
        String protocol = parts[1];
        if (!protocol.equals("ipfs") && !protocol.equals("p2p")) {
            return null;
        }
        byte[] multihash = multihashOf(parts[2]);
        if (multihash == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, IPFS);
        writeVarint(out, multihash.length);
        out.writeBytes(multihash);
        return out.toByteArray();
    }

    private static byte[] multihashOf(String cid) {
        if (cid.startsWith("Qm") || cid.startsWith("1")) {
            return unbase58(cid);
        }
        if (cid.startsWith("b")) { // CIDv1 in base32: version, codec, multihash
            byte[] raw = unbase32(cid.substring(1));
            if (raw == null) {
                return null;
            }
            int[] pos = {0};
            if (readVarint(raw, pos) != 1) {
                return null;
            }
            readVarint(raw, pos);
            return Arrays.copyOfRange(raw, pos[0], raw.length);
        }
        return null;
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while (value >= 0x80) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static long readVarint(byte[] bytes, int[] pos) {
        long value = 0;
        for (int shift = 0; pos[0] < bytes.length && shift < 63; shift += 7) {
            int b = bytes[pos[0]++] & 0xff;
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }

    static byte[] unbase58(String text) {
        BigInteger value = BigInteger.ZERO;
        for (char c : text.toCharArray()) {
            int digit = BASE58.indexOf(c);
            if (digit < 0) {
                return null;
            }
            value = value.multiply(BigInteger.valueOf(58)).add(BigInteger.valueOf(digit));
        }
        byte[] magnitude = value.signum() == 0 ? new byte[0] : value.toByteArray();
        if (magnitude.length > 0 && magnitude[0] == 0) {
            magnitude = Arrays.copyOfRange(magnitude, 1, magnitude.length);
        }
        int zeros = 0;
        while (zeros < text.length() && text.charAt(zeros) == '1') {
            zeros++;
        }
        byte[] out = new byte[zeros + magnitude.length];
        System.arraycopy(magnitude, 0, out, zeros, magnitude.length);
        return out;
    }

    static String base58(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        BigInteger value = new BigInteger(1, bytes);
        BigInteger base = BigInteger.valueOf(58);
        while (value.signum() > 0) {
            BigInteger[] qr = value.divideAndRemainder(base);
            out.append(BASE58.charAt(qr[1].intValue()));
            value = qr[0];
        }
        for (int i = 0; i < bytes.length && bytes[i] == 0; i++) {
            out.append('1');
        }
        return out.reverse().toString();
    }

    private static byte[] unbase32(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            int v = BASE32.indexOf(c);
            if (v < 0) {
                return null;
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
