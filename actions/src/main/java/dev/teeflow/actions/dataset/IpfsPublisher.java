package dev.teeflow.actions.dataset;

import dev.teeflow.actions.chain.ChainConfig;
import dev.teeflow.actions.chain.ChainResolver;
import dev.teeflow.actions.net.Retries;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.protocol.ipfs.UnixFsCid;
import dev.teeflow.protocol.net.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ipfs: {url, gateway, token, verify}}: adds the ciphertext to an IPFS node through its HTTP API, as the
 * iExec SDK does ({@code POST <node>/api/v0/add}, one multipart file part, default options: a CIDv0), and gives
 * {@code /ipfs/<cid>} as the dataset's multiaddr. The CID is computed first: when the gateway already serves
 * those bytes there is nothing to upload. Content addressing also makes published bytes immutable by nature.
 */
final class IpfsPublisher implements PublishTarget {
    private static final Pattern HASH = Pattern.compile("\"Hash\"\\s*:\\s*\"([^\"]+)\"");

    @Override
    public Published publish(Job job) throws Exception {
        Endpoints e = endpoints(job);
        String cid = UnixFsCid.of(job.ciphertext());
        HttpClient client = Downloads.client(job.ctx());
        String readBack = e.gateway() + "/ipfs/" + cid;
        Downloads.Fetched there = fetchQuietly(client, readBack);
        if (there != null && there.matches(job.checksum())) {
            job.ctx().log().info("already on IPFS: " + readBack + " serves " + job.checksum() + " (nothing to upload)");
        } else {
            String added = add(job, e, client);
            if (!added.equals(cid)) {
                throw new TeeflowException(job.owner() + ": the IPFS node at " + e.node() + " gave the CID " + added
                        + " where ipfs add's defaults give " + cid + "; it adds with other options (CIDv1, raw leaves, another"
                        + " chunker), so the dataset would not be found where teeflow expects it");
            }
            job.ctx().log().info("added to IPFS: " + cid);
        }
        if (job.settings().bool("verify", true)) {
            Downloads.Fetched back = Downloads.awaitChecksum(client, readBack, job.checksum(), 5, Duration.ofSeconds(2));
            if (!back.matches(job.checksum())) {
                throw new TeeflowException(job.owner() + ": added, but the gateway " + readBack + " does not serve the"
                        + " ciphertext (" + (back.status() != 200 ? "HTTP " + back.status() : "checksum " + back.checksum())
                        + ", expected " + job.checksum() + "); check ipfs.gateway");
            }
            job.ctx().log().info("verified: " + readBack + " serves " + job.checksum());
        }
        return new Published("/ipfs/" + cid);
    }

    @Override
    public Check verify(Job job, Outputs recorded) throws Exception {
        Endpoints e = endpoints(job);
        String multiaddr = recorded.string("url").orElse("/ipfs/" + UnixFsCid.of(job.ciphertext()));
        String url = e.gateway() + multiaddr;
        Downloads.Fetched f = Downloads.fetch(Downloads.client(job.ctx()), url, Map.of());
        if (f.status() != 200) {
            return Check.gone(url + " answers HTTP " + f.status() + " (is the CID still pinned?)");
        }
        return f.matches(job.checksum()) ? Check.holds() : Check.gone(url + " serves other bytes (checksum " + f.checksum() + ")");
    }

    /** The node to add to and the gateway to read from, both without a trailing slash. */
    record Endpoints(String node, String gateway) {
    }

    static Endpoints endpoints(Job job) {
        Inputs s = job.settings();
        Optional<ChainConfig> chain = job.ctx().inputs().has("chain")
                ? Optional.of(ChainResolver.of(job.ctx()).chain(job.ctx().inputs().child("chain"), job.ctx().projectDir()))
                : Optional.empty();
        String node = s.optionalString("url").or(() -> chain.flatMap(ChainConfig::ipfsNode)).orElseThrow(() ->
                new TeeflowException(job.owner() + ": the target chain names no IPFS node: give ipfs.url"));
        String gateway = s.optionalString("gateway").or(() -> chain.map(ChainConfig::ipfsGateway)).orElseThrow(() ->
                new TeeflowException(job.owner() + ": the target chain names no IPFS gateway: give ipfs.gateway"));
        return new Endpoints(node.replaceAll("/+$", ""), gateway.replaceAll("/+$", ""));
    }

    /** POST /api/v0/add with the file as the one part of a multipart body; the CID the node answers. */
    private static String add(Job job, Endpoints e, HttpClient client) throws Exception {
        String boundary = "-----------------------------teeflow" + UUID.randomUUID().toString().replace("-", "");
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + java.net.URLEncoder.encode(job.filename(), StandardCharsets.UTF_8) + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(e.node() + "/api/v0/add?stream-channels=true&progress=false"))
                .timeout(Duration.ofMinutes(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(java.util.Collections.enumeration(
                        List.of(new java.io.ByteArrayInputStream(head), open(job), new java.io.ByteArrayInputStream(tail))))));
        Optional<Secret> token = job.settings().optionalSecret("token");
        token.ifPresent(t -> {
            job.ctx().redactor().register(t);
            req.header("Authorization", "Bearer " + t.text());
        });
        job.ctx().log().info("POST " + e.node() + "/api/v0/add (" + Files.size(job.ciphertext()) + " bytes)");
        RetryPolicy.Outcome<HttpResponse<String>> outcome;
        try {
            // adding the same bytes twice gives the same CID: safe to repeat
            outcome = Retries.policy(job.ctx()).run(URI.create(e.node()).getAuthority(), RetryPolicy.Safety.IDEMPOTENT,
                    job.ctx().log()::warn, () -> client.send(req.build(), HttpResponse.BodyHandlers.ofString()),
                    r -> RetryPolicy.retryableStatus(r.statusCode()));
        } catch (IOException ex) {
            throw new TeeflowException(job.owner() + ": cannot reach the IPFS node " + e.node() + ": " + ex.getMessage(), ex);
        }
        HttpResponse<String> resp = outcome.value();
        int code = resp.statusCode();
        if (code == 401 || code == 403) {
            throw new TeeflowException(job.owner() + ": the IPFS node " + e.node() + " refused the upload (HTTP " + code + ")"
                    + (token.isPresent() ? ": check ipfs.token (" + token.get().source() + ")" : ": it may need ipfs.token"));
        }
        String body = job.ctx().redactor().redact(String.valueOf(resp.body()));
        if (code / 100 != 2) {
            throw new TeeflowException(job.owner() + ": POST " + e.node() + "/api/v0/add answered HTTP " + code
                    + (body.isBlank() ? "" : ": " + abbreviate(body.strip())));
        }
        String cid = null;
        for (String line : body.split("\n")) { // ndjson: the last line with a Hash is the file
            Matcher m = HASH.matcher(line);
            if (m.find()) {
                cid = m.group(1);
            }
        }
        if (cid == null) {
            throw new TeeflowException(job.owner() + ": the IPFS node " + e.node() + " answered without a CID: " + abbreviate(body));
        }
        return cid;
    }

    private static InputStream open(Job job) {
        try {
            return Files.newInputStream(job.ciphertext());
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static Downloads.Fetched fetchQuietly(HttpClient client, String url) throws InterruptedException {
        try {
            return Downloads.fetch(client, url, Map.of());
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
