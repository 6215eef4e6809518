package dev.teeflow.protocol.sms;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

import org.web3j.crypto.ECKeyPair;

import dev.teeflow.protocol.net.RetriesExhaustedException;
import dev.teeflow.protocol.net.RetryPolicy;
import dev.teeflow.protocol.sign.Signatures;

/**
 * Client of the iExec Secret Management Service. Bodies are the raw secret as text/plain; writes carry an
 * {@code Authorization} header with the EIP-191 personal signature of the {@link SmsChallenges challenge}.
 * Every non-success status becomes an {@link SmsException} subclass whose message never holds the value.
 */
public final class SmsClient {
    private static final System.Logger LOG = System.getLogger(SmsClient.class.getName());
    private final URI base;
    private final HttpClient http;
    private final RetryPolicy retry;
    private final Consumer<String> log;

    public SmsClient(URI base) {
        this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    public SmsClient(URI base, HttpClient http) {
        this(base, http, RetryPolicy.standard(), line -> LOG.log(System.Logger.Level.WARNING, line));
    }

    private SmsClient(URI base, HttpClient http, RetryPolicy retry, Consumer<String> log) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.http = http;
        this.retry = retry;
        this.log = log;
    }

    /**
     * The same client (same connections) retrying under {@code policy} and telling each retry to {@code log}.
     * Checks (HEAD) and updates (PUT of the same value) are retried after any transient failure; a push
     * (POST, write-once) is retried only when it never reached the SMS, or when a HEAD shows it did not land.
     */
    public SmsClient withRetry(RetryPolicy policy, Consumer<String> retryLog) {
        return new SmsClient(base, http, policy, retryLog);
    }

    public URI base() {
        return base;
    }

    // dataset key (web3 secret)

    public boolean datasetKeyExists(String dataset) {
        return exists("/secrets/web3?secretAddress=" + q(dataset), "dataset key of " + dataset);
    }

    /** Pushes a dataset's key (base64 text). Signed by the dataset owner; write-once. */
    public void pushDatasetKey(ECKeyPair owner, String dataset, String base64Key) {
        String what = "dataset key of " + dataset;
        write("POST", "/secrets/web3?secretAddress=" + q(dataset), base64Key,
                sign(owner, SmsChallenges.web3(dataset, base64Key)), what, false);
    }

    // web2 secrets (e.g. the result encryption key)

    public boolean web2SecretExists(String owner, String name) {
        return exists("/secrets/web2?ownerAddress=" + q(owner) + "&secretName=" + q(name),
                "web2 secret '" + name + "' of " + owner);
    }

    /** Creates a web2 secret owned by the signer. */
    public void pushWeb2Secret(ECKeyPair owner, String name, String value) {
        web2("POST", owner, name, value);
    }

    /** Replaces an existing web2 secret owned by the signer (404 when it does not exist). */
    public void updateWeb2Secret(ECKeyPair owner, String name, String value) {
        web2("PUT", owner, name, value);
    }

    private void web2(String method, ECKeyPair owner, String name, String value) {
        String address = Signatures.addressOf(owner);
        write(method, "/secrets/web2?ownerAddress=" + q(address) + "&secretName=" + q(name), value,
                sign(owner, SmsChallenges.web2(address, name, value)), "web2 secret '" + name + "' of " + address,
                true);
    }

    // requester secrets

    public boolean requesterSecretExists(String requester, String name) {
        return exists("/requesters/" + p(requester) + "/secrets/" + p(name),
                "requester secret '" + name + "' of " + requester);
    }

    /** Pushes a requester secret of the signer; name must match [A-Za-z0-9_-]{1,64}; write-once. */
    public void pushRequesterSecret(ECKeyPair requester, String name, String value) {
        String address = Signatures.addressOf(requester);
        write("POST", "/requesters/" + address + "/secrets/" + p(name), value,
                sign(requester, SmsChallenges.requester(address, name, value)),
                "requester secret '" + name + "' of " + address, false);
    }

    // app developer secret

    public boolean appSecretExists(String app) {
        return exists("/apps/" + p(app) + "/secrets", "app developer secret of " + app);
    }

    /** Pushes the app developer secret; signed by the app owner; write-once. */
    public void pushAppSecret(ECKeyPair appOwner, String app, String value) {
        write("POST", "/apps/" + p(app) + "/secrets", value, sign(appOwner, SmsChallenges.appDeveloper(app, value)),
                "app developer secret of " + app, false);
    }

    private static String sign(ECKeyPair key, byte[] challenge) {
        return Signatures.personalSign(challenge, key).toHex();
    }

    private boolean exists(String pathAndQuery, String what) {
        RetryPolicy.Outcome<HttpResponse<String>> o = send(() -> head(pathAndQuery), what);
        return switch (o.value().statusCode()) {
            case 200, 204 -> true;
            case 404 -> false;
            default -> throw failure(o.value().statusCode(), "check", what, false, o.attempts());
        };
    }

    private HttpResponse<String> head(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void write(String method, String pathAndQuery, String value, String authorization, String what,
            boolean updatable) {
        HttpRequest request = HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/plain")
                .header("Authorization", authorization)
                .method(method, HttpRequest.BodyPublishers.ofString(value, StandardCharsets.UTF_8))
                .build();
        RetryPolicy.Outcome<HttpResponse<String>> o;
        if ("PUT".equals(method)) {
            // Putting the same value twice leaves the same secret: safe to repeat after any transient failure.
            o = send(() -> http.send(request, HttpResponse.BodyHandlers.ofString()), what);
        } else {
            o = send(new GuardedPost(request, pathAndQuery, what), what);
        }
        if (o.value().statusCode() / 100 != 2) {
            throw failure(o.value().statusCode(), "PUT".equals(method) ? "update" : "push", what, updatable,
                    o.attempts());
        }
    }

    /**
     * A write-once push made safe to repeat: once an attempt failed in a way that may have reached the SMS
     * (a 5xx, a reset, a timeout), the next attempt first asks (HEAD) whether the secret is there; if it is,
     * the earlier POST landed and nothing is sent again.
     */
    private final class GuardedPost implements RetryPolicy.Call<HttpResponse<String>> {
        private final HttpRequest post;
        private final String pathAndQuery;
        private final String what;
        private boolean mayHaveLanded;

        GuardedPost(HttpRequest post, String pathAndQuery, String what) {
            this.post = post;
            this.pathAndQuery = pathAndQuery;
            this.what = what;
        }

        @Override
        public HttpResponse<String> call() throws IOException, InterruptedException {
            if (mayHaveLanded) {
                HttpResponse<String> present = head(pathAndQuery);
                if (present.statusCode() == 200 || present.statusCode() == 204) {
                    log.accept("SMS holds the " + what + " after the failed push: the push had landed");
                    return present;
                }
                if (present.statusCode() != 404) {
                    return present; // cannot tell yet (e.g. 503): ask again on the next attempt, never push blindly
                }
            }
            try {
                HttpResponse<String> res = http.send(post, HttpResponse.BodyHandlers.ofString());
                mayHaveLanded = RetryPolicy.retryableStatus(res.statusCode()) != null;
                return res;
            } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
                throw e; // never reached the SMS
            } catch (IOException e) {
                mayHaveLanded = true;
                throw e;
            }
        }
    }

    private SmsException failure(int status, String action, String what, boolean updatable, int attempts) {
        String prefix = "SMS at " + base + " refused to " + action + " the " + what + ": ";
        return switch (status) {
            case 401 -> new SmsException.NotAuthorized(prefix + "401, the signing wallet is not the owner of the resource");
            case 409 -> new SmsException.AlreadyExists(prefix + "409, it already exists and "
                    + (updatable ? "must be updated with PUT" : "cannot be changed (write-once); use a new secret name or resource"));
            case 413 -> new SmsException.TooLarge(413, prefix + "413, the value is larger than 4096 bytes");
            case 400 -> new SmsException.BadRequest(prefix + "400, bad request (secret names must match "
                    + "[A-Za-z0-9_-]{1,64}, values at most 4096 bytes, addresses 0x + 40 hex digits)");
            case 404 -> new SmsException.NotFound(prefix + "404, there is no such secret (push it with POST first)");
            default -> status >= 500 || status == 429
                    ? new SmsException.Unavailable(status, prefix + status + " after " + RetryPolicy.attempts(attempts)
                            + ", the SMS " + (status == 429 ? "is rate limiting" : "had an internal error") + "; retry later")
                    : new SmsException(status, prefix + "unexpected status " + status);
        };
    }

    private RetryPolicy.Outcome<HttpResponse<String>> send(RetryPolicy.Call<HttpResponse<String>> call, String what) {
        try {
            return retry.run("SMS", RetryPolicy.Safety.IDEMPOTENT, log, call,
                    res -> RetryPolicy.retryableStatus(res.statusCode()));
        } catch (RetriesExhaustedException e) {
            throw new SmsException.Unavailable("SMS at " + base + " is unreachable while handling the " + what
                    + " (" + e.getCause().getClass().getSimpleName() + ", " + RetryPolicy.attempts(e.attempts()) + ")", e);
        } catch (IOException e) {
            throw new SmsException.Unavailable("SMS at " + base + " is unreachable while handling the " + what
                    + " (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmsException.Unavailable("interrupted while calling the SMS at " + base, e);
        }
    }

    private URI uri(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String p(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
