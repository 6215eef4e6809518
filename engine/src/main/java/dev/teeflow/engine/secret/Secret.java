package dev.teeflow.engine.secret;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A resolved secret value. {@link #toString()} never shows the value, so a secret that slips into a
 * log line or an exception message shows as {@code Secret(env:MY_EMAIL)}. Read the value only where
 * it is needed ({@link #bytes()}, {@link #text()}).
 */
public final class Secret {
    private final SecretRef source;
    private final byte[] value;

    public Secret(SecretRef source, byte[] value) {
        this.source = source;
        this.value = value.clone();
    }

    public static Secret ofText(SecretRef source, String value) {
        return new Secret(source, value.getBytes(StandardCharsets.UTF_8));
    }

    public SecretRef source() {
        return source;
    }

    public byte[] bytes() {
        return value.clone();
    }

    public String text() {
        return new String(value, StandardCharsets.UTF_8);
    }

    public int length() {
        return value.length;
    }

    /** Constant-time comparison of the values. */
    public boolean sameValue(Secret other) {
        return java.security.MessageDigest.isEqual(value, other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && source.equals(s.source) && Arrays.equals(value, s.value);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    @Override
    public String toString() {
        return "Secret(" + source + ")";
    }
}
