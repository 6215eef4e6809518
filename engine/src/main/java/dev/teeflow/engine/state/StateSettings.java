package dev.teeflow.engine.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which backend keeps a pipeline's state and how to reach it, as the {@code state:} block of the pipeline
 * file, the command line ({@code --state-backend}, {@code --state-config KEY=VALUE}) or the environment
 * ({@code TEEFLOW_STATE_BACKEND}, {@code TEEFLOW_STATE_CONFIG_<KEY>}) give it. Credentials, the passphrase
 * and the raw key are secret references ({@code env:NAME}, {@code file:PATH}), never values.
 *
 * @param backend {@code local} (the default), {@code postgres}, {@code git}, {@code s3}, ...
 * @param settings the backend's own settings (url, bucket, user, password reference...)
 * @param passphrase a secret reference to the passphrase that encrypts the state, or null
 * @param key a secret reference to a raw 32-byte key (base64 or hex) that encrypts the state, or null
 */
public record StateSettings(String backend, Map<String, String> settings, String passphrase, String key) {
    public static final String LOCAL = "local";
    /** The lock's lease length, a setting every backend takes: how soon a dead run's lock is taken over. */
    public static final String LEASE = "lease";
    /** The settings every backend takes, besides its own. */
    public static final Map<String, String> COMMON = Map.of(
            "backend", "local (default), postgres, git or s3",
            "passphrase", "secret reference (env:NAME or file:PATH) to the passphrase that encrypts the state",
            "key", "secret reference to a raw AES-256 key (32 bytes, base64 or hex) that encrypts the state",
            LEASE, "how long the lock's lease runs without renewal (default 60s): a dead run's lock is taken over after it");

    public StateSettings {
        backend = backend == null || backend.isBlank() ? LOCAL : backend;
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings == null ? Map.of() : settings));
    }

    public static StateSettings local() {
        return new StateSettings(LOCAL, Map.of(), null, null);
    }

    public boolean isLocal() {
        return LOCAL.equals(backend);
    }

    /**
     * These settings with {@code over}'s laid on top: when {@code over} names a backend it replaces these
     * entirely (so CI that names its backend is not steered by a pipeline file's state block, which may come
     * from a stranger's pull request); otherwise each of its settings, and its passphrase or key, win.
     */
    public StateSettings overriddenBy(StateSettings over, boolean backendGiven) {
        if (backendGiven) {
            return over;
        }
        Map<String, String> merged = new LinkedHashMap<>(settings);
        merged.putAll(over.settings());
        boolean encryptionGiven = over.passphrase() != null || over.key() != null;
        return new StateSettings(backend, merged, encryptionGiven ? over.passphrase() : passphrase,
                encryptionGiven ? over.key() : key);
    }

    /** The lease length given, or {@code fallback}. */
    public java.time.Duration lease(java.time.Duration fallback) {
        String text = settings.get(LEASE);
        java.time.Duration d = text == null ? null : parseLease(text);
        return d == null ? fallback : d;
    }

    /** "30s", "2m", "1h" or seconds; null when not a duration of at least 5 seconds. */
    static java.time.Duration parseLease(String text) {
        String v = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            java.time.Duration d = v.endsWith("s") ? java.time.Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)))
                    : v.endsWith("m") ? java.time.Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)))
                    : v.endsWith("h") ? java.time.Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)))
                    : java.time.Duration.ofSeconds(Long.parseLong(v));
            return d.compareTo(java.time.Duration.ofSeconds(5)) >= 0 ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** For messages: the backend and its settings, secret references shown as references (never values). */
    public String describe() {
        return backend + (settings.isEmpty() ? "" : " " + settings);
    }
}
