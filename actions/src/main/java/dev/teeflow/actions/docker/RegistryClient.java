package dev.teeflow.actions.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.protocol.net.RetryPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks a registry (Docker Registry HTTP API v2) which manifest digest it serves for a tag. The
 * digest comes from the registry itself, for the v2 schema-2 media type: that is the digest a worker
 * pulling the image sees and what an iExec app's checksum must be. Handles anonymous access, Basic
 * auth and the Bearer token dance of Docker Hub and most hosted registries.
 */
public final class RegistryClient {
    public static final String MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String ACCEPT = MANIFEST_V2
            + ", application/vnd.oci.image.manifest.v1+json;q=0.5";
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final String username;
    private final String password;
    private final boolean plainHttp;
    private final RetryPolicy retry;
    private final Consumer<String> log;

    /** {@code username}/{@code password} may be null for anonymous access. */
    public RegistryClient(String username, String password, boolean plainHttp) {
        this(username, password, plainHttp, RetryPolicy.standard(), line -> { });
    }

    /** Reads are retried under {@code retry} while the registry is unreachable or answers 5xx/429. */
    public RegistryClient(String username, String password, boolean plainHttp, RetryPolicy retry,
                          Consumer<String> log) {
        this.username = username;
        this.password = password;
        this.plainHttp = plainHttp;
        this.retry = retry;
        this.log = log;
    }

    /** The digest ({@code sha256:...}) the registry serves for the reference's tag; empty on 404. */
    public Optional<String> manifestDigest(ImageReference ref) throws IOException, InterruptedException {
        URI uri = URI.create((plainHttp ? "http://" : "https://") + ref.registry() + "/v2/" + ref.path()
                + "/manifests/" + ref.tag());
        RetryPolicy.Outcome<HttpResponse<byte[]>> outcome = send(uri, ref, null);
        HttpResponse<byte[]> response = outcome.value();
        if (response.statusCode() == 401) {
            String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
            String authorization = authorize(challenge, ref);
            outcome = send(uri, ref, authorization);
            response = outcome.value();
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new TeeflowException("registry " + ref.registry() + " refused "
                        + (username == null ? "anonymous access" : "the credentials of user '" + username + "'")
                        + " to read " + ref.repository() + " (HTTP " + response.statusCode() + ")");
            }
        }
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new TeeflowException("registry " + ref.registry() + " answered HTTP " + response.statusCode()
                    + " for the manifest of " + ref.reference()
                    + (RetryPolicy.retryableStatus(response.statusCode()) != null
                            ? " (" + RetryPolicy.attempts(outcome.attempts()) + ")" : ""));
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (contentType.contains("prettyjws") || contentType.contains("v1+json") && !contentType.contains("oci")) {
            throw new TeeflowException("registry " + ref.registry() + " answered a schema-1 manifest for "
                    + ref.reference() + "; its digest is not the one workers verify");
        }
        byte[] body = response.body();
        Optional<String> header = response.headers().firstValue("Docker-Content-Digest");
        return Optional.of(header.orElseGet(() -> "sha256:" + sha256(body)));
    }

    private RetryPolicy.Outcome<HttpResponse<byte[]>> send(URI uri, ImageReference ref, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Accept", ACCEPT).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpRequest built = request.build();
            return retry.run("registry " + ref.registry(), RetryPolicy.Safety.IDEMPOTENT, log,
                    () -> http.send(built, HttpResponse.BodyHandlers.ofByteArray()),
                    r -> RetryPolicy.retryableStatus(r.statusCode()));
        } catch (IOException e) {
            throw new TeeflowException("registry " + ref.registry() + " does not answer at " + uri.getScheme()
                    + "://" + ref.registry() + ": " + e, e);
        }
    }

    private String authorize(String challenge, ImageReference ref) throws IOException, InterruptedException {
        if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
            if (username == null) {
                throw new TeeflowException("registry " + ref.registry() + " needs credentials to read "
                        + ref.repository() + ": set push.username and push.password (a secret reference)");
            }
            return basic();
        }
        if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            throw new TeeflowException("registry " + ref.registry() + " asks for an unsupported authentication: " + challenge);
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1), m.group(2));
        }
        String realm = params.get("realm");
        if (realm == null) {
            throw new TeeflowException("registry " + ref.registry() + " sent a Bearer challenge without realm");
        }
        StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        if (params.containsKey("service")) {
            url.append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8)).append('&');
        }
        url.append("scope=").append(URLEncoder.encode("repository:" + ref.path() + ":pull", StandardCharsets.UTF_8));
        HttpRequest.Builder token = HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(30)).GET();
        if (username != null) {
            token.header("Authorization", basic());
        }
        HttpRequest tokenRequest = token.build();
        HttpResponse<String> response = retry.run("registry token service " + realm, RetryPolicy.Safety.IDEMPOTENT,
                log, () -> http.send(tokenRequest, HttpResponse.BodyHandlers.ofString()),
                r -> RetryPolicy.retryableStatus(r.statusCode())).value();
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new TeeflowException("registry " + ref.registry() + " refused the credentials of user '"
                    + username + "' (token service answered HTTP " + response.statusCode() + ")");
        }
        if (response.statusCode() != 200) {
            throw new TeeflowException("registry token service " + realm + " answered HTTP " + response.statusCode());
        }
        JsonNode body = new ObjectMapper().readTree(response.body());
        String value = body.path("token").asText(body.path("access_token").asText(""));
        if (value.isEmpty()) {
            throw new TeeflowException("registry token service " + realm + " gave no token");
        }
        return "Bearer " + value;
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
