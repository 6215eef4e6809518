package dev.teeflow.engine.state;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.Suggestions;
import dev.teeflow.engine.secret.SecretRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The state backends this teeflow knows: {@code local}, built in, and every {@link StateBackendFactory}
 * on the class path. Checks settings (every problem at once, each naming its field) and opens backends.
 */
public final class StateBackends {
    private static volatile StateBackends loaded;
    private final Map<String, StateBackendFactory> factories;

    StateBackends(List<StateBackendFactory> found) {
        Map<String, StateBackendFactory> byKind = new TreeMap<>();
        byKind.put(StateSettings.LOCAL, new LocalFactory());
        for (StateBackendFactory f : found) {
            byKind.putIfAbsent(f.kind(), f);
        }
        this.factories = byKind;
    }

    /** The backends on the class path (found once). */
    public static StateBackends load() {
        StateBackends s = loaded;
        if (s == null) {
            List<StateBackendFactory> found = new ArrayList<>();
            ServiceLoader.load(StateBackendFactory.class, StateBackends.class.getClassLoader()).forEach(found::add);
            s = new StateBackends(found);
            loaded = s;
        }
        return s;
    }

    public Set<String> kinds() {
        return factories.keySet();
    }

    public Optional<StateBackendFactory> factory(String kind) {
        return Optional.ofNullable(factories.get(kind));
    }

    /**
     * What is wrong with {@code settings}, by field name ({@code backend}, {@code password}, ...): an unknown
     * backend, an unknown or missing setting, a credential given as a value instead of a reference.
     */
    public Map<String, String> problems(StateSettings settings) {
        Map<String, String> out = new LinkedHashMap<>();
        StateBackendFactory f = factories.get(settings.backend());
        if (f == null) {
            out.put("backend", "unknown state backend '" + settings.backend() + "'"
                    + Suggestions.didYouMean(settings.backend(), kinds()) + "; this teeflow knows " + String.join(", ", kinds()));
            return out;
        }
        for (var e : settings.settings().entrySet()) {
            if (e.getKey().equals(StateSettings.LEASE)) {
                if (StateSettings.parseLease(e.getValue()) == null) {
                    out.put(e.getKey(), "'" + e.getValue() + "' is not a lease length such as 30s or 2m (at least 5s)");
                }
            } else if (!f.settings().containsKey(e.getKey())) {
                out.put(e.getKey(), "unknown setting '" + e.getKey() + "' of the " + f.kind() + " state backend"
                        + Suggestions.didYouMean(e.getKey(), f.settings().keySet())
                        + (f.settings().isEmpty() ? "" : "; it takes " + String.join(", ", new java.util.TreeSet<>(f.settings().keySet()))));
            } else if (f.secretSettings().contains(e.getKey()) && !isReference(e.getValue())) {
                out.put(e.getKey(), "'" + e.getKey() + "' is a credential: give a secret reference (env:NAME or file:PATH), "
                        + "never the value itself");
            }
        }
        for (String r : f.required()) {
            if (!settings.settings().containsKey(r)) {
                out.put(r, "missing setting '" + r + "' of the " + f.kind() + " state backend (" + f.settings().get(r) + ")");
            }
        }
        if (settings.passphrase() != null && !isReference(settings.passphrase())) {
            out.put("passphrase", "the state passphrase must be a secret reference (env:NAME or file:PATH), never the "
                    + "passphrase itself");
        }
        if (settings.key() != null && !isReference(settings.key())) {
            out.put("key", "the state key must be a secret reference (env:NAME or file:PATH), never the key itself");
        }
        if (settings.key() != null && settings.passphrase() != null) {
            out.put("key", "give either a passphrase or a key, not both");
        }
        return out;
    }

    /** Opens the backend the settings name; invalid settings are one error listing every problem. */
    public StateBackend open(StateBackendConfig config, StateSettings settings) {
        Map<String, String> problems = problems(settings);
        if (!problems.isEmpty()) {
            List<String> lines = new ArrayList<>();
            problems.forEach((field, message) -> lines.add("state." + field + ": " + message));
            throw new TeeflowException(String.join("\n", lines));
        }
        return factories.get(settings.backend()).open(config);
    }

    static boolean isReference(String value) {
        return SecretRef.parse(value).filter(r -> !r.scheme().equals(SecretRef.STEP)).isPresent();
    }

    /** The state directory on this machine: {@code --state-dir}, or {@code .teeflow} beside the pipeline file. */
    private static final class LocalFactory implements StateBackendFactory {
        @Override
        public String kind() {
            return StateSettings.LOCAL;
        }

        @Override
        public Map<String, String> settings() {
            return Map.of("dir", "the state directory (default: --state-dir, or .teeflow beside the pipeline file)");
        }

        @Override
        public Set<String> required() {
            return Set.of();
        }

        @Override
        public Set<String> secretSettings() {
            return Set.of();
        }

        @Override
        public StateBackend open(StateBackendConfig config) {
            return new LocalStateBackend(config.get("dir").map(d -> config.projectDir().resolve(d)).orElse(config.cacheDir()));
        }
    }
}
