package dev.teeflow.engine.spi;

import dev.teeflow.engine.secret.SecretRef;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a step produced: plain values (strings, numbers, booleans, lists and maps of them), files
 * (the engine records their hash and checks later that they still hold), and secrets (recorded only
 * as a {@link SecretRef} to where the value is kept).
 */
public final class Outputs {
    /** A file output; its path is kept relative to the project folder when inside it. */
    public record FileOutput(Path path) {
    }

    private final Map<String, Object> values;

    private Outputs(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Outputs none() {
        return new Outputs(Map.of());
    }

    public static Outputs of(Map<String, Object> values) {
        return new Outputs(values);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every output by name: plain values, {@link FileOutput}s and {@link SecretRef}s. */
    public Map<String, Object> values() {
        return values;
    }

    public Object get(String name) {
        return values.get(name);
    }

    public Optional<String> string(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof FileOutput f) {
            return Optional.of(f.path().toString());
        }
        return Optional.of(v.toString());
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    @Override
    public String toString() {
        return "Outputs" + values.keySet();
    }

    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();

        public Builder put(String name, Object value) {
            values.put(name, value);
            return this;
        }

        public Builder file(String name, Path path) {
            values.put(name, new FileOutput(path));
            return this;
        }

        /** A secret output: {@code ref} comes from {@link StepContext#storeSecret}. */
        public Builder secret(String name, SecretRef ref) {
            values.put(name, ref);
            return this;
        }

        public Outputs build() {
            return new Outputs(values);
        }
    }
}
