package dev.teeflow.state.remote.s3;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Finds out whether a store honours conditional uploads, which the lock and compare-and-swap rest on:
 * AWS S3, Cloudflare R2, Google Cloud Storage and MinIO do; some S3-compatible stores (s3proxy 2.6 among
 * them) accept the headers and overwrite anyway. The probe creates a fresh object with
 * {@code If-None-Match: *} twice (the second must fail with 412) and overwrites it with {@code If-Match}
 * on a wrong ETag (must fail too), then removes it.
 */
final class ConditionalWrites {
    /** What the probe found; {@code problem} says what the store did wrong, for the refusal message. */
    record Verdict(boolean honoured, String problem) {
    }

    private ConditionalWrites() {
    }

    static Verdict probe(S3Objects store, String prefix) {
        String key = prefix + ".probe/" + UUID.randomUUID();
        byte[] body = "teeflow conditional write probe".getBytes(StandardCharsets.US_ASCII);
        try {
            String etag;
            try {
                etag = store.put(key, body, "*", null);
            } catch (S3Objects.PreconditionFailed e) {
                return new Verdict(false, "it refused to create a new object with 'If-None-Match: *' (" + e.getMessage() + ")");
            }
            // Other bytes each time: a retried upload refused with 412 whose bytes are already there counts as this
            // very write, landed (S3Objects), so the probes never repeat the first one's bytes.
            try {
                store.put(key, bytes("teeflow conditional write probe, second upload"), "*", null);
                return new Verdict(false, "a second upload with 'If-None-Match: *' over an existing object succeeded");
            } catch (S3Objects.PreconditionFailed expected) {
                // honoured
            }
            try {
                store.put(key, bytes("teeflow conditional write probe, third upload"), null, wrongEtag(etag));
                return new Verdict(false, "an upload with 'If-Match' on another object's ETag succeeded");
            } catch (S3Objects.PreconditionFailed expected) {
                return new Verdict(true, null);
            }
        } finally {
            store.delete(key);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String wrongEtag(String etag) {
        String other = "\"" + "0".repeat(32) + "\"";
        return other.equals(etag) ? "\"" + "1".repeat(32) + "\"" : other;
    }
}
