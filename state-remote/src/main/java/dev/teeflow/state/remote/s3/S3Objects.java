package dev.teeflow.state.remote.s3;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.state.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The few S3 calls the state needs, on one bucket, with failures turned into messages that name the
 * store and never a credential: get, conditional put, delete and list.
 */
final class S3Objects implements AutoCloseable {
    /** The stored bytes, their ETag, when the store wrote them and the store's own time when it answered. */
    record Stored(byte[] bytes, String etag, Optional<Instant> lastModified, Optional<Instant> storeNow) {
    }

    /** A conditional put found another state than it expected (HTTP 412 or 409). */
    static final class PreconditionFailed extends Exception {
        private static final long serialVersionUID = 1L;

        PreconditionFailed(int status) {
            super("HTTP " + status);
        }
    }

    private final S3Settings settings;
    private final S3Client client;

    S3Objects(S3Settings settings) {
        this.settings = settings;
        AwsCredentials credentials = settings.sessionToken().<AwsCredentials>map(t -> AwsSessionCredentials.create(
                        settings.accessKeyId().text(), settings.secretAccessKey().text(), t.text()))
                .orElseGet(() -> AwsBasicCredentials.create(settings.accessKeyId().text(), settings.secretAccessKey().text()));
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(60)).build())
                // Checksums only where S3 requires them: many S3-compatible stores refuse the newer trailers.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // Whole-body signing: the blobs are small, and not every store reads aws-chunked uploads.
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                // A request that failed on the way (a dropped connection, a 5xx, throttling) is sent again with backoff.
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(Backoff.ATTEMPTS)));
        settings.endpoint().ifPresent(builder::endpointOverride);
        this.client = builder.build();
    }

    String where(String key) {
        return "s3://" + settings.bucket() + "/" + key + settings.endpoint().map(e -> " at " + e).orElse("");
    }

    Optional<Stored> get(String key) {
        try {
            ResponseBytes<GetObjectResponse> r = client.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key));
            GetObjectResponse meta = r.response();
            Optional<Instant> now = meta.sdkHttpResponse().firstMatchingHeader("Date").flatMap(S3Objects::httpDate);
            return Optional.of(new Stored(r.asByteArray(), meta.eTag(), Optional.ofNullable(meta.lastModified()), now));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("read", key, e);
        } catch (SdkException e) {
            throw failure("read", key, e);
        }
    }

    /**
     * Uploads {@code bytes}; with {@code ifNoneMatch} "*" only when the key is absent, with {@code ifMatch}
     * only over that ETag. Returns the new ETag.
     */
    String put(String key, byte[] bytes, String ifNoneMatch, String ifMatch) throws PreconditionFailed {
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(settings.bucket()).key(key)
                .contentType("application/octet-stream");
        if (ifNoneMatch != null) {
            req.ifNoneMatch(ifNoneMatch);
        }
        if (ifMatch != null) {
            req.ifMatch(ifMatch);
        }
        try {
            return client.putObject(req.build(), RequestBody.fromBytes(bytes)).eTag();
        } catch (S3Exception e) {
            // 404 answers If-Match on an object that is gone (AWS S3): the version expected is not there either.
            if (e.statusCode() == 412 || e.statusCode() == 409 || ifMatch != null && e.statusCode() == 404) {
                // The client retries an upload that failed on the way (Backoff.ATTEMPTS in all); if the first one
                // landed, the retry finds its own bytes there: that is this write done, not someone else's.
                Optional<Stored> there = retried(e) ? get(key) : Optional.empty();
                if (there.isPresent() && java.util.Arrays.equals(there.get().bytes(), bytes)) {
                    return there.get().etag();
                }
                throw new PreconditionFailed(e.statusCode());
            }
            throw failure("write", key, e);
        } catch (SdkException e) {
            throw failure("write", key, e);
        }
    }

    /** Whether the client sent the request more than once before this answer. */
    private static boolean retried(SdkException e) {
        Integer attempts = e.numAttempts();
        return attempts != null && attempts > 1;
    }

    String put(String key, byte[] bytes) {
        try {
            return put(key, bytes, null, null);
        } catch (PreconditionFailed e) {
            throw new IllegalStateException("an unconditional upload cannot fail a precondition", e);
        }
    }

    void delete(String key) {
        try {
            client.deleteObject(b -> b.bucket(settings.bucket()).key(key));
        } catch (SdkException e) {
            throw failure("delete", key, e);
        }
    }

    /** Keys under {@code prefix}, in the store's order (ascending). */
    List<String> list(String prefix) {
        return new ArrayList<>(listing(prefix, null).keySet());
    }

    /**
     * Keys under {@code prefix} with their ETags, in the store's order (ascending), from after
     * {@code startAfter} when it is not null (a store that ignores it lists them all).
     */
    Map<String, String> listing(String prefix, String startAfter) {
        Map<String, String> etags = new LinkedHashMap<>();
        try {
            ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(settings.bucket()).prefix(prefix)
                    .startAfter(startAfter);
            String token = null;
            do {
                ListObjectsV2Response page = client.listObjectsV2(req.continuationToken(token).build());
                // File-system stores (s3proxy) list their folders as keys ending in "/": not objects of ours.
                page.contents().stream().filter(o -> !o.key().endsWith("/"))
                        .forEach(o -> etags.put(o.key(), o.eTag() == null ? "" : o.eTag()));
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw failure("list", prefix, e);
        }
        return etags;
    }

    private TeeflowException failure(String action, String key, SdkException e) {
        String why;
        if (e instanceof S3Exception s3) {
            int status = s3.statusCode();
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            why = "HTTP " + status + (code == null ? "" : " " + code);
            if (status == 403 || "InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
                why += ": the store refused the credentials (check state.access-key-id and state.secret-access-key"
                        + " and that they may use the bucket)";
            } else if ("NoSuchBucket".equals(code)) {
                why += ": the bucket " + settings.bucket() + " does not exist; create it first";
            }
        } else if (e instanceof SdkClientException) {
            why = "the store is unreachable (" + firstLine(e.getMessage()) + ")";
        } else {
            why = firstLine(e.getMessage());
        }
        return new TeeflowException("cannot " + action + " " + where(key) + ": " + why, e);
    }

    private static Optional<Instant> httpDate(String text) {
        try {
            return Optional.of(java.time.ZonedDateTime.parse(text, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() {
        client.close();
    }
}
