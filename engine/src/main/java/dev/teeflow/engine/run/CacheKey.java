package dev.teeflow.engine.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.teeflow.engine.hash.Hashing;
import dev.teeflow.engine.secret.Secret;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A step's cache key: sha256 over its type and version and one digest per input, where an input is a
 * top-level input value ({@code in:NAME}), the content of a declared input file ({@code file:NAME}) or
 * an upstream step named in {@code needs} ({@code needs:ADDR}). Keeping the per-input digests lets a
 * plan say which input changed. Secrets enter only as an HMAC under the project key.
 *
 * <p>How digests are made and combined is the key scheme, {@link #SCHEME}. Every record says under which
 * scheme its key was made, so that a teeflow with a new scheme can still tell whether a step's inputs
 * changed (docs/upgrading.md): change {@link #of(int, String, int, Map)} or how a digest is made only
 * together with a new scheme number, and keep the old schemes computable.
 */
public final class CacheKey {
    /** The key scheme this teeflow writes. Bump it when a change here changes any key. */
    public static final int SCHEME = 1;

    /**
     * The oldest scheme whose per-input digests are made exactly as this teeflow makes them, so that a
     * key of that scheme can be recomputed from today's digests. Raise it to the new {@link #SCHEME}
     * when a change alters a digest (not only how digests combine into the key).
     */
    public static final int OLDEST_COMPARABLE_SCHEME = 1;

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final String value;
    private final Map<String, String> digests;

    private CacheKey(String value, Map<String, String> digests) {
        this.value = value;
        this.digests = digests;
    }

    public String value() {
        return value;
    }

    public Map<String, String> digests() {
        return digests;
    }

    /** Digests of each resolved input value, with secrets fingerprinted under {@code projectKey}. */
    public static Map<String, String> inputDigests(Map<String, Object> resolved, byte[] projectKey) {
        Map<String, String> out = new TreeMap<>();
        resolved.forEach((k, v) -> out.put("in:" + k, Hashing.sha256Hex(canonical(v, projectKey))));
        return out;
    }

    /** The key under the current {@link #SCHEME}. */
    public static CacheKey of(String type, int version, Map<String, String> digests) {
        return of(SCHEME, type, version, digests);
    }

    /**
     * The key under {@code scheme}, from {@link #OLDEST_COMPARABLE_SCHEME} on. Scheme 1 is the type, its
     * version and the sorted digests; a later scheme also names itself, so keys of two schemes never meet.
     */
    public static CacheKey of(int scheme, String type, int version, Map<String, String> digests) {
        if (scheme < OLDEST_COMPARABLE_SCHEME) {
            throw new IllegalArgumentException("key scheme " + scheme + " can no longer be computed");
        }
        StringBuilder sb = new StringBuilder();
        if (scheme > 1) {
            sb.append("teeflow key scheme ").append(scheme).append('\n');
        }
        sb.append(type).append('\0').append(version).append('\n');
        new TreeMap<>(digests).forEach((k, v) -> sb.append(k).append('\0').append(v).append('\n'));
        return new CacheKey(Hashing.sha256Hex(sb.toString()), Map.copyOf(new TreeMap<>(digests)));
    }

    /** A stable text form of a value: maps with sorted keys, numbers normalised, secrets as HMAC. */
    static String canonical(Object value, byte[] projectKey) {
        try {
            return CANONICAL.writeValueAsString(plain(value, projectKey));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("input values are always serialisable", e);
        }
    }

    private static Object plain(Object value, byte[] projectKey) {
        if (value instanceof Secret s) {
            return "hmac-sha256:" + hmac(projectKey, s.bytes());
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), plain(v, projectKey)));
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(v -> plain(v, projectKey)).toList();
        }
        if (value instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        return value;
    }

    public static String hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    public static String hmac(byte[] key, String data) {
        return hmac(key, data.getBytes(StandardCharsets.UTF_8));
    }
}
