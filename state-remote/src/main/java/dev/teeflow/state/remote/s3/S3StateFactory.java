package dev.teeflow.state.remote.s3;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateBackendConfig;
import dev.teeflow.engine.state.StateBackendFactory;
import dev.teeflow.state.remote.LockMode;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code state: { backend: s3, bucket: ..., access-key-id: env:..., secret-access-key: env:... }}. */
public final class S3StateFactory implements StateBackendFactory {
    private static final Map<String, String> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("endpoint", "the store's URL for S3-compatible stores (MinIO, R2, GCS...); absent for AWS S3");
        SETTINGS.put("bucket", "the bucket (it must exist)");
        SETTINGS.put("prefix", "the key prefix of this pipeline's state (default teeflow-state/)");
        SETTINGS.put("region", "the region (default us-east-1; R2 takes auto)");
        SETTINGS.put("path-style", "true for stores addressed as endpoint/bucket/key (MinIO, most self-hosted stores)");
        SETTINGS.put("access-key-id", "secret reference to the access key id (e.g. env:AWS_ACCESS_KEY_ID)");
        SETTINGS.put("secret-access-key", "secret reference to the secret access key (e.g. env:AWS_SECRET_ACCESS_KEY)");
        SETTINGS.put("session-token", "secret reference to a session token, for temporary credentials");
        SETTINGS.put("lock", "store (default: a lease lock by conditional writes) or external (runs are kept one at a"
                + " time outside teeflow)");
    }

    @Override
    public String kind() {
        return "s3";
    }

    @Override
    public Map<String, String> settings() {
        return SETTINGS;
    }

    @Override
    public Set<String> required() {
        return Set.of("bucket", "access-key-id", "secret-access-key");
    }

    @Override
    public Set<String> secretSettings() {
        return Set.of("access-key-id", "secret-access-key", "session-token");
    }

    @Override
    public StateBackend open(StateBackendConfig config) {
        Optional<URI> endpoint = config.get("endpoint").map(text -> {
            try {
                return URI.create(text);
            } catch (IllegalArgumentException e) {
                throw new TeeflowException("state.endpoint '" + text + "' is not a URL");
            }
        });
        String pathStyle = config.get("path-style").orElse("false");
        if (!pathStyle.equals("true") && !pathStyle.equals("false")) {
            throw new TeeflowException("state.path-style must be true or false, not '" + pathStyle + "'");
        }
        S3Settings settings = new S3Settings(endpoint, config.required("bucket"), config.get("prefix").orElse(null),
                config.get("region").orElse(null), Boolean.parseBoolean(pathStyle),
                config.secret("access-key-id").orElseThrow(), config.secret("secret-access-key").orElseThrow(),
                config.secret("session-token"), LockMode.parse("state.lock", config.get("lock").orElse(null)));
        String cacheName = dev.teeflow.engine.hash.Hashing.sha256Hex(settings.describe()).substring(0, 16);
        return new S3StateBackend(settings, message -> System.err.println("teeflow: " + message),
                config.cacheDir().resolve("remote-cache").resolve("s3-" + cacheName));
    }
}
