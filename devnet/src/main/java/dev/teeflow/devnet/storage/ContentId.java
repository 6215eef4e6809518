package dev.teeflow.devnet.storage;

import java.math.BigInteger;

/**
 * CIDv0-shaped content ids: base58btc of the sha2-256 multihash (0x12 0x20 + digest of the bytes), so "Qm..."
 * of 46 characters. The digest is over the raw bytes, not over an IPFS UnixFS DAG, so ids are stable and
 * content-addressed here but differ from what a real IPFS node would give for the same file.
 */
public final class ContentId {
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private ContentId() {
    }

    public static String fromSha256(byte[] digest) {
        if (digest.length != 32) {
            throw new IllegalArgumentException("a sha-256 digest has 32 bytes");
        }
        byte[] mh = new byte[34];
        mh[0] = 0x12;
        mh[1] = 0x20;
        System.arraycopy(digest, 0, mh, 2, 32);
        return base58(mh);
    }

    /** True for strings shaped like the ids this store hands out (guards the file system path). */
    public static boolean isValid(String id) {
        return id != null && id.length() == 46 && id.startsWith("Qm")
                && id.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0);
    }

    private static String base58(byte[] data) {
        BigInteger n = new BigInteger(1, data);
        StringBuilder sb = new StringBuilder();
        BigInteger base = BigInteger.valueOf(58);
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(base);
            sb.append(ALPHABET.charAt(qr[1].intValue()));
            n = qr[0];
        }
        for (byte b : data) {
            if (b != 0) {
                break;
            }
            sb.append('1');
        }
        return sb.reverse().toString();
    }
}
