package dev.teeflow.state.remote.s3;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.state.remote.LockMode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where an {@code s3} state lives: an S3-compatible store ({@code endpoint}, absent for AWS itself), a
 * {@code bucket}, a key {@code prefix} (one per pipeline), the {@code region}, path-style addressing for
 * stores that need it (MinIO, s3proxy), and the access key, from secret references only.
 */
public record S3Settings(Optional<URI> endpoint, String bucket, String prefix, String region, boolean pathStyle,
                         Secret accessKeyId, Secret secretAccessKey, Optional<Secret> sessionToken, LockMode lock) {
    public static final String DEFAULT_PREFIX = "teeflow-state/";
    public static final String DEFAULT_REGION = "us-east-1";

    public S3Settings {
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new TeeflowException("state.bucket '" + bucket + "' is not a bucket name (3 to 63 lower-case letters,"
                    + " digits, dots and dashes)");
        }
        prefix = normalizePrefix(prefix);
        region = region == null || region.isBlank() ? DEFAULT_REGION : region;
        if (accessKeyId == null || secretAccessKey == null) {
            throw new TeeflowException("an s3 state needs state.access-key-id and state.secret-access-key as secret"
                    + " references (e.g. env:AWS_ACCESS_KEY_ID and env:AWS_SECRET_ACCESS_KEY)");
        }
        endpoint.ifPresent(e -> {
            if (!"http".equals(e.getScheme()) && !"https".equals(e.getScheme()) || e.getHost() == null) {
                throw new TeeflowException("state.endpoint '" + e + "' must be an http:// or https:// URL");
            }
        });
    }

    static String normalizePrefix(String prefix) {
        String p = prefix == null ? DEFAULT_PREFIX : prefix.strip().replaceAll("^/+", "");
        if (p.contains("..") || p.contains("//")) {
            throw new TeeflowException("state.prefix '" + prefix + "' must be a plain key prefix such as team/pipeline/");
        }
        return p.isEmpty() || p.endsWith("/") ? p : p + "/";
    }

    /** The store, bucket and prefix, for messages; never a credential. */
    public String describe() {
        return "s3://" + bucket + "/" + prefix + endpoint.map(e -> " at " + e).orElse("");
    }

    public List<Secret> secrets() {
        List<Secret> all = new ArrayList<>(List.of(accessKeyId, secretAccessKey));
        sessionToken.ifPresent(all::add);
        return all;
    }
}
