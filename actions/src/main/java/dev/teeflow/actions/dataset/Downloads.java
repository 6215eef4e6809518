package dev.teeflow.actions.dataset;

import dev.teeflow.protocol.dataset.DatasetChecksum;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Downloads a URL and hashes it on the fly, to check that it serves a ciphertext's exact bytes. */
final class Downloads {
    /** What a GET returned: its HTTP status and, for 200, the checksum of the body. */
    record Fetched(int status, String checksum) {
        boolean matches(String expected) {
            return status == 200 && expected.equals(checksum);
        }
    }

    private Downloads() {
    }

    static HttpClient client(dev.teeflow.engine.spi.StepContext ctx) {
        return ctx.shared("dataset.http-client", HttpClient.class, () -> HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20))
                .build());
    }

    static Fetched fetch(HttpClient client, String url, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).GET().timeout(Duration.ofMinutes(10));
        headers.forEach(req::header);
        HttpResponse<InputStream> resp = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = resp.body()) {
            if (resp.statusCode() != 200) {
                return new Fetched(resp.statusCode(), null);
            }
            return new Fetched(200, DatasetChecksum.of(body));
        }
    }

    /**
     * Downloads {@code url} until it serves {@code checksum}, a few times with a pause (raw URLs of
     * git hosts can lag a push by a moment); returns the last answer.
     */
    static Fetched awaitChecksum(HttpClient client, String url, String checksum, int attempts, Duration pause)
            throws IOException, InterruptedException {
        Fetched last = null;
        for (int i = 0; i < attempts; i++) {
            if (i > 0) {
                Thread.sleep(pause.toMillis());
            }
            last = fetch(client, url, Map.of());
            if (last.matches(checksum)) {
                return last;
            }
        }
        return last;
    }
}
