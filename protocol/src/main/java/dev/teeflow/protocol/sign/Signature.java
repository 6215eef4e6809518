package dev.teeflow.protocol.sign;

import java.util.Arrays;

/**
 * An ECDSA secp256k1 signature in Ethereum's 65-byte form r || s || v with v = 27 or 28,
 * which is what the SMS, the market API and PoCo's verifySignature expect.
 */
public record Signature(byte[] r, byte[] s, int v) {

    public Signature {
        if (r.length != 32 || s.length != 32) {
            throw new IllegalArgumentException("signature r and s must be 32 bytes each");
        }
        if (v == 0 || v == 1) {
            v += 27;
        }
        if (v != 27 && v != 28) {
            throw new IllegalArgumentException("signature v must be 27 or 28 (or 0/1), got " + v);
        }
        r = r.clone();
        s = s.clone();
    }

    /** Parses 0x + 130 hex digits. */
    public static Signature parse(String hex) {
        byte[] b;
        try {
            b = Hex.decode(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("signature is not hex");
        }
        if (b.length != 65) {
            throw new IllegalArgumentException("signature must be 65 bytes (0x + 130 hex digits), got " + b.length + " bytes");
        }
        return new Signature(Arrays.copyOfRange(b, 0, 32), Arrays.copyOfRange(b, 32, 64), b[64] & 0xff);
    }

    public byte[] toBytes() {
        byte[] out = new byte[65];
        System.arraycopy(r, 0, out, 0, 32);
        System.arraycopy(s, 0, out, 32, 32);
        out[64] = (byte) v;
        return out;
    }

    public String toHex() {
        return Hex.encode(toBytes());
    }

    @Override
    public byte[] r() {
        return r.clone();
    }

    @Override
    public byte[] s() {
        return s.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Signature other && Arrays.equals(r, other.r) && Arrays.equals(s, other.s) && v == other.v;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    @Override
    public String toString() {
        return toHex();
    }
}
