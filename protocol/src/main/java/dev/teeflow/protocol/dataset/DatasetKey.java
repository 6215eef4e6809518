package dev.teeflow.protocol.dataset;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * An iExec dataset key: 32 random bytes (AES-256), written as standard base64 (44 characters, no
 * newline) in key files and in the SMS. {@link #toString()} never shows the key.
 */
public final class DatasetKey {
    public static final int LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    private DatasetKey(byte[] bytes) {
        this.bytes = bytes;
    }

    public static DatasetKey generate() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return new DatasetKey(b);
    }

    public static DatasetKey ofBytes(byte[] raw) {
        if (raw.length != LENGTH) {
            throw new DatasetFormatException("a dataset key must be " + LENGTH + " bytes, got " + raw.length);
        }
        return new DatasetKey(raw.clone());
    }

    /**
     * Parses the base64 text of a key (surrounding whitespace, such as a trailing newline in a key
     * file, is ignored). The message of a rejection describes the text's shape, never its content.
     */
    public static DatasetKey parse(String base64) {
        String text = base64 == null ? "" : base64.strip();
        if (text.isEmpty()) {
            throw new DatasetFormatException("the dataset key is empty; expected the base64 of 32 bytes"
                    + " (44 characters, as in .secrets/datasets/<file>.key)");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new DatasetFormatException("the dataset key is not valid base64 (" + text.length()
                    + " characters); expected the base64 of 32 bytes (44 characters ending in '=')");
        }
        if (raw.length != LENGTH) {
            Arrays.fill(raw, (byte) 0);
            throw new DatasetFormatException("the dataset key decodes to " + raw.length
                    + " bytes; an AES-256 dataset key must be the base64 of exactly 32 bytes (44 characters)");
        }
        return new DatasetKey(raw);
    }

    public static DatasetKey parse(byte[] utf8) {
        return parse(new String(utf8, StandardCharsets.UTF_8));
    }

    /** A copy of the raw 32 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The key as iExec writes it: standard base64, 44 characters, no newline. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    public byte[] toBase64Bytes() {
        return toBase64().getBytes(StandardCharsets.US_ASCII);
    }

    /** Constant-time comparison. */
    public boolean sameAs(DatasetKey other) {
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatasetKey k && sameAs(k);
    }

    @Override
    public int hashCode() {
        return 0; // deliberately uninformative: keys are not meant to be hashed into collections
    }

    @Override
    public String toString() {
        return "DatasetKey(***)";
    }
}
