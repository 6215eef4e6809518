package dev.teeflow.actions.dataset;

import dev.teeflow.actions.net.Retries;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.protocol.net.RetryPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code http: {url, method, headers, download-url, verify}}: uploads the ciphertext with PUT or
 * POST. Skips the upload when the download URL already serves the same bytes. Header values may be
 * secrets ({@code Authorization: env:UPLOAD_TOKEN}); they never appear in messages.
 */
final class HttpPublisher implements PublishTarget {
    @Override
    public Published publish(Job job) throws Exception {
        Inputs s = job.settings();
        String url = ContentAddressedPath.of(s.string("url"), job.checksum(), true);
        String downloadUrl = ContentAddressedPath.of(s.string("download-url", s.string("url")), job.checksum(), true);
        String method = s.string("method", "PUT").toUpperCase(Locale.ROOT);
        if (!method.equals("PUT") && !method.equals("POST")) {
            throw new TeeflowException(job.owner() + ": http.method must be PUT or POST, not '" + method + "'");
        }
        Map<String, String> headers = headers(job);
        HttpClient client = Downloads.client(job.ctx());

        Downloads.Fetched existing = fetchQuietly(client, downloadUrl, headers);
        if (existing != null && existing.matches(job.checksum())) {
            job.ctx().log().info("already published: " + downloadUrl + " serves " + job.checksum());
        } else if (existing != null && existing.status() == 200) {
            throw new TeeflowException(job.owner() + ": " + downloadUrl + " already serves other bytes (checksum "
                    + existing.checksum() + "); published bytes are never replaced (a deployed dataset may point at"
                    + " them): put " + ContentAddressedPath.PLACEHOLDER + " in http.url (and http.download-url)");
        } else {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(30))
                    .method(method, HttpRequest.BodyPublishers.ofFile(job.ciphertext()));
            headers.forEach(req::header);
            if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
                req.header("Content-Type", "application/octet-stream");
            }
            job.ctx().log().info(method + " " + url);
            HttpRequest upload = req.build();
            RetryPolicy.Outcome<HttpResponse<String>> outcome;
            try {
                outcome = Retries.policy(job.ctx()).run(URI.create(url).getAuthority(), RetryPolicy.Safety.IDEMPOTENT,
                        job.ctx().log()::warn, new GuardedUpload(job, client, upload, downloadUrl, headers,
                                method.equals("PUT")), r -> r == null ? null : RetryPolicy.retryableStatus(r.statusCode()));
            } catch (java.io.IOException e) {
                throw new TeeflowException(job.owner() + ": cannot reach " + url + ": " + e.getMessage(), e);
            }
            HttpResponse<String> resp = outcome.value();
            if (resp == null) {
                job.ctx().log().info("the upload had landed: " + downloadUrl + " serves " + job.checksum());
                return finish(job, client, downloadUrl);
            }
            int code = resp.statusCode();
            if (code == 401 || code == 403) {
                throw new TeeflowException(job.owner() + ": " + url + " refused the upload (HTTP " + code
                        + "): check the credentials given in http.headers");
            }
            if (code / 100 != 2) {
                String body = job.ctx().redactor().redact(resp.body());
                throw new TeeflowException(job.owner() + ": " + method + " " + url + " answered HTTP " + code
                        + (body == null || body.isBlank() ? "" : ": " + abbreviate(body.strip()))
                        + (RetryPolicy.retryableStatus(code) != null ? " (" + RetryPolicy.attempts(outcome.attempts()) + ")" : ""));
            }
        }
        return finish(job, client, downloadUrl);
    }

    /**
     * One upload attempt. A PUT of the same bytes may simply be repeated; a POST may create a second copy, so
     * once an attempt may have reached the server, the next one first asks the download URL whether the bytes
     * are there (null = they are: nothing more to send).
     */
    private static final class GuardedUpload implements RetryPolicy.Call<HttpResponse<String>> {
        private final Job job;
        private final HttpClient client;
        private final HttpRequest upload;
        private final String downloadUrl;
        private final Map<String, String> headers;
        private final boolean idempotent;
        private boolean mayHaveLanded;

        GuardedUpload(Job job, HttpClient client, HttpRequest upload, String downloadUrl, Map<String, String> headers,
                      boolean idempotent) {
            this.job = job;
            this.client = client;
            this.upload = upload;
            this.downloadUrl = downloadUrl;
            this.headers = headers;
            this.idempotent = idempotent;
        }

        @Override
        public HttpResponse<String> call() throws java.io.IOException, InterruptedException {
            if (mayHaveLanded && !idempotent) {
                Downloads.Fetched there = fetchQuietly(client, downloadUrl, headers);
                if (there != null && there.matches(job.checksum())) {
                    return null;
                }
            }
            try {
                HttpResponse<String> r = client.send(upload, HttpResponse.BodyHandlers.ofString());
                mayHaveLanded = RetryPolicy.retryableStatus(r.statusCode()) != null;
                return r;
            } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
                throw e;
            } catch (java.io.IOException e) {
                mayHaveLanded = true;
                throw e;
            }
        }
    }

    private static Published finish(Job job, HttpClient client, String downloadUrl) throws Exception {
        Inputs s = job.settings();
        if (s.bool("verify", false)) {
            Downloads.Fetched back = Downloads.awaitChecksum(client, downloadUrl, job.checksum(), 3, Duration.ofSeconds(1));
            if (!back.matches(job.checksum())) {
                throw new TeeflowException(job.owner() + ": " + downloadUrl + " does not serve the ciphertext after the upload ("
                        + (back.status() != 200 ? "HTTP " + back.status() : "checksum " + back.checksum()) + ", expected "
                        + job.checksum() + ")");
            }
            job.ctx().log().info("verified: " + downloadUrl + " serves " + job.checksum());
        }
        return new Published(downloadUrl);
    }

    @Override
    public Check verify(Job job, Outputs recorded) throws Exception {
        String url = recorded.string("url").orElse(ContentAddressedPath.of(
                job.settings().string("download-url", job.settings().string("url")), job.checksum(), true));
        Downloads.Fetched f = Downloads.fetch(Downloads.client(job.ctx()), url, headers(job));
        if (f.status() != 200) {
            return Check.gone(url + " answers HTTP " + f.status());
        }
        return f.matches(job.checksum()) ? Check.holds() : Check.gone(url + " serves other bytes (checksum " + f.checksum() + ")");
    }

    private static Map<String, String> headers(Job job) {
        Map<String, String> out = new LinkedHashMap<>();
        job.settings().child("headers").asMap().forEach((name, value) -> {
            if (value instanceof Secret secret) {
                job.ctx().redactor().register(secret);
                out.put(name, secret.text());
            } else if (value != null) {
                out.put(name, value.toString());
            }
        });
        return out;
    }

    private static Downloads.Fetched fetchQuietly(HttpClient client, String url, Map<String, String> headers)
            throws InterruptedException {
        try {
            return Downloads.fetch(client, url, headers);
        } catch (java.io.IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
