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
 */
public final class CacheKey {
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

    public static CacheKey of(String type, int version, Map<String, String> digests) {
        StringBuilder sb = new StringBuilder(type).append('\0').append(version).append('\n');
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
