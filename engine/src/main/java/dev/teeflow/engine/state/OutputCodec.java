package dev.teeflow.engine.state;

import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Outputs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Outputs to and from their JSON form: plain values as they are, a file as {@code {"$file": path}}
 * (relative to the project when inside it), a secret as {@code {"$secret": "step:addr/name"}}.
 */
public final class OutputCodec {
    static final String FILE = "$file";
    static final String SECRET = "$secret";

    private OutputCodec() {
    }

    public static Map<String, Object> encode(Outputs outputs, Path projectDir) {
        Map<String, Object> out = new LinkedHashMap<>();
        outputs.values().forEach((k, v) -> out.put(k, encodeValue(v, projectDir)));
        return out;
    }

    public static Outputs decode(Map<String, Object> encoded, Path projectDir) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (encoded != null) {
            encoded.forEach((k, v) -> out.put(k, decodeValue(v, projectDir)));
        }
        return Outputs.of(out);
    }

    private static Object encodeValue(Object v, Path projectDir) {
        if (v instanceof Outputs.FileOutput f) {
            Path abs = f.path().toAbsolutePath().normalize();
            Path base = projectDir.toAbsolutePath().normalize();
            String written = abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
            return Map.of(FILE, written);
        }
        if (v instanceof SecretRef s) {
            return Map.of(SECRET, s.toString());
        }
        if (v instanceof Path p) {
            return p.toString();
        }
        if (v instanceof Map<?, ?> m) { // nested references (a retirement's wallet input) stay references
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), encodeValue(val, projectDir)));
            return out;
        }
        if (v instanceof dev.teeflow.engine.secret.Secret) {
            throw new IllegalArgumentException("a secret value cannot be a plain output; use StepContext.storeSecret");
        }
        return v;
    }

    private static Object decodeValue(Object v, Path projectDir) {
        if (v instanceof Map<?, ?> m && m.size() == 1) {
            if (m.get(FILE) instanceof String p) {
                return new Outputs.FileOutput(projectDir.resolve(p).normalize());
            }
            if (m.get(SECRET) instanceof String s) {
                return SecretRef.parse(s).orElse(null);
            }
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), decodeValue(val, projectDir)));
            return out;
        }
        return v;
    }
}
