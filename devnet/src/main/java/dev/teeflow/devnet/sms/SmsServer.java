package dev.teeflow.devnet.sms;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.teeflow.protocol.sign.Hex;
import dev.teeflow.protocol.sign.Signatures;
import dev.teeflow.protocol.sms.SmsChallenges;

/**
 * The devnet's Secret Management Service: iExec's SMS HTTP API on 127.0.0.1, with its paths, raw text/plain
 * bodies, personal-sign challenge checks, {@code owner()} checks for datasets and apps, write-once rules, the
 * 4096-byte limit and its status codes (including the order in which it checks: signature first, then
 * name, then size, then existence). Secrets live encrypted in a {@link SecretVault}.
 */
public final class SmsServer implements AutoCloseable {
    /** Largest secret the SMS accepts, in UTF-8 bytes. */
    public static final int MAX_SECRET_BYTES = 4096;
    private static final Pattern REQUESTER = Pattern.compile("^/requesters/([^/]+)/secrets/([^/]+)$");
    private static final Pattern APP = Pattern.compile("^/apps/([^/]+)/secrets$");
    private static final Pattern SECRET_NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    private static final String BAD_NAME = "Secret key should contain at most 64 characters from [0-9A-Za-z-_]";
    private static final String TOO_BIG = "Secret size should not exceed 4 Kb";
    // bodies larger than this are refused without reading further
    private static final int READ_LIMIT = 1 << 20;

    private final HttpServer server;
    private final SecretVault vault;
    private final OwnerLookup owners;

    private SmsServer(HttpServer server, SecretVault vault, OwnerLookup owners) {
        this.server = server;
        this.vault = vault;
        this.owners = owners;
    }

    /**
     * Starts the SMS on 127.0.0.1:port (0 = any free port) with its secrets in dataDir.
     *
     * @throws PortInUseException when the port is taken
     */
    public static SmsServer start(Path dataDir, int port, OwnerLookup owners) {
        SecretVault vault = SecretVault.open(dataDir);
        HttpServer http = LoopbackHttp.bind("SMS", port);
        SmsServer sms = new SmsServer(http, vault, owners);
        http.createContext("/", sms::handle);
        http.start();
        return sms;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** The worker's in-process read path to the stored secrets. */
    public SecretReader secrets() {
        return vault;
    }

    @Override
    public void close() {
        LoopbackHttp.stop(server);
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            route(ex);
        } catch (RuntimeException e) {
            LoopbackHttp.sendJson(ex, 500, "{\"error\":[\"Internal server error\"]}");
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        Matcher m;
        if (path.equals("/secrets/web3")) {
            web3(ex, method);
        } else if (path.equals("/secrets/web2")) {
            web2(ex, method);
        } else if ((m = REQUESTER.matcher(path)).matches()) {
            requester(ex, method, m.group(1), m.group(2));
        } else if ((m = APP.matcher(path)).matches()) {
            app(ex, method, m.group(1));
        } else if (path.equals("/version") && method.equals("GET")) {
            LoopbackHttp.send(ex, 200, "text/plain", "teeflow-devnet-sms".getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/actuator/health") && method.equals("GET")) {
            LoopbackHttp.sendJson(ex, 200, "{\"status\":\"UP\"}");
        } else {
            LoopbackHttp.sendJson(ex, 404, "{\"error\":[\"Not Found\"]}");
        }
    }

    private void web3(HttpExchange ex, String method) throws IOException {
        Map<String, String> q = LoopbackHttp.query(ex);
        String dataset = q.get("secretAddress");
        if (dataset == null || !Hex.isAddress(dataset)) {
            LoopbackHttp.sendEmpty(ex, 400);
            return;
        }
        switch (method) {
            case "HEAD" -> LoopbackHttp.sendEmpty(ex, vault.exists(SecretKind.WEB3, Ids.web3(dataset)) ? 204 : 404);
            case "POST" -> {
                Optional<Write> w = readWrite(ex);
                if (w.isEmpty()) {
                    return;
                }
                String value = w.get().value();
                if (value == null) {
                    LoopbackHttp.sendEmpty(ex, 413);
                    return;
                }
                if (!signedByOwnerOf(dataset, SmsChallenges.web3(dataset, value), w.get().auth())) {
                    LoopbackHttp.sendEmpty(ex, 401);
                } else if (tooBig(value)) {
                    LoopbackHttp.sendEmpty(ex, 413);
                } else {
                    LoopbackHttp.sendEmpty(ex, vault.create(SecretKind.WEB3, Ids.web3(dataset), value) ? 204 : 409);
                }
            }
            default -> LoopbackHttp.sendEmpty(ex, 405);
        }
    }

    private void web2(HttpExchange ex, String method) throws IOException {
        Map<String, String> q = LoopbackHttp.query(ex);
        String owner = q.get("ownerAddress");
        String name = q.get("secretName");
        if (owner == null || name == null || !Hex.isAddress(owner)) {
            LoopbackHttp.sendEmpty(ex, 400);
            return;
        }
        String id = Ids.web2(owner, name);
        switch (method) {
            case "HEAD" -> LoopbackHttp.sendEmpty(ex, vault.exists(SecretKind.WEB2, id) ? 204 : 404);
            case "POST", "PUT" -> {
                Optional<Write> w = readWrite(ex);
                if (w.isEmpty()) {
                    return;
                }
                String value = w.get().value();
                if (value == null) {
                    LoopbackHttp.sendEmpty(ex, 413);
                    return;
                }
                if (!signedBy(owner, SmsChallenges.web2(owner, name, value), w.get().auth())) {
                    LoopbackHttp.sendEmpty(ex, 401);
                } else if (tooBig(value)) {
                    LoopbackHttp.sendEmpty(ex, 413);
                } else if (method.equals("POST")) {
                    LoopbackHttp.sendEmpty(ex, vault.create(SecretKind.WEB2, id, value) ? 204 : 409);
                } else {
                    LoopbackHttp.sendEmpty(ex, vault.update(SecretKind.WEB2, id, value) ? 204 : 404);
                }
            }
            default -> LoopbackHttp.sendEmpty(ex, 405);
        }
    }

    private void requester(HttpExchange ex, String method, String requester, String name) throws IOException {
        if (!Hex.isAddress(requester)) {
            LoopbackHttp.sendJson(ex, 400, error("Invalid requester address"));
            return;
        }
        String id = Ids.requester(requester, name);
        switch (method) {
            case "HEAD" -> {
                if (!SECRET_NAME.matcher(name).matches()) {
                    LoopbackHttp.sendJson(ex, 400, error(BAD_NAME));
                } else {
                    answerExists(ex, SecretKind.REQUESTER, id);
                }
            }
            case "POST" -> {
                Optional<Write> w = readWrite(ex);
                if (w.isEmpty()) {
                    return;
                }
                String value = w.get().value();
                if (value == null) {
                    LoopbackHttp.sendJson(ex, 400, error(TOO_BIG));
                    return;
                }
                if (!signedBy(requester, SmsChallenges.requester(requester, name, value), w.get().auth())) {
                    LoopbackHttp.sendJson(ex, 401, error("Invalid authorization"));
                } else if (!SECRET_NAME.matcher(name).matches()) {
                    LoopbackHttp.sendJson(ex, 400, error(BAD_NAME));
                } else if (tooBig(value)) {
                    // iExec's SMS answers 400 (not 413) for an oversized requester secret
                    LoopbackHttp.sendJson(ex, 400, error(TOO_BIG));
                } else {
                    answerCreated(ex, SecretKind.REQUESTER, id, value);
                }
            }
            default -> LoopbackHttp.sendEmpty(ex, 405);
        }
    }

    private void app(HttpExchange ex, String method, String app) throws IOException {
        if (!Hex.isAddress(app)) {
            LoopbackHttp.sendJson(ex, 400, error("Invalid app address"));
            return;
        }
        switch (method) {
            case "HEAD" -> {
                answerExists(ex, SecretKind.APP, Ids.app(app));
            }
            case "POST" -> {
                Optional<Write> w = readWrite(ex);
                if (w.isEmpty()) {
                    return;
                }
                String value = w.get().value();
                if (value == null) {
                    LoopbackHttp.sendJson(ex, 413, error(TOO_BIG));
                    return;
                }
                if (!signedByOwnerOf(app, SmsChallenges.appDeveloper(app, value), w.get().auth())) {
                    LoopbackHttp.sendJson(ex, 401, error("Invalid authorization"));
                } else if (tooBig(value)) {
                    LoopbackHttp.sendJson(ex, 413, error(TOO_BIG));
                } else {
                    answerCreated(ex, SecretKind.APP, Ids.app(app), value);
                }
            }
            default -> LoopbackHttp.sendEmpty(ex, 405);
        }
    }

    /** HEAD: 204 when the secret exists, 404 otherwise. */
    private void answerExists(HttpExchange ex, SecretKind kind, String id) throws IOException {
        if (vault.exists(kind, id)) {
            LoopbackHttp.sendEmpty(ex, 204);
        } else {
            LoopbackHttp.sendJson(ex, 404, error("Secret not found"));
        }
    }

    /** A write-once POST that passed its checks: 204 when stored, 409 when the secret already exists. */
    private void answerCreated(HttpExchange ex, SecretKind kind, String id, String value) throws IOException {
        if (vault.create(kind, id, value)) {
            LoopbackHttp.sendEmpty(ex, 204);
        } else {
            LoopbackHttp.sendJson(ex, 409, error("Secret already exists"));
        }
    }

    /** A write request's Authorization header and body; value null when the body exceeds the read limit. */
    private record Write(String auth, String value) {
    }

    /** Reads header and body; answers 400 itself (and returns empty) when either is missing or not UTF-8. */
    private Optional<Write> readWrite(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        byte[] body = LoopbackHttp.readBody(ex, READ_LIMIT);
        if (auth == null || auth.isBlank()) {
            // Spring answers 400 for a missing required header
            LoopbackHttp.sendEmpty(ex, 400);
            return Optional.empty();
        }
        if (body == null) {
            return Optional.of(new Write(auth, null));
        }
        if (body.length == 0) {
            // Spring answers 400 for a missing required body
            LoopbackHttp.sendEmpty(ex, 400);
            return Optional.empty();
        }
        try {
            String value = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
            return Optional.of(new Write(auth.trim(), value));
        } catch (CharacterCodingException e) {
            LoopbackHttp.sendEmpty(ex, 400);
            return Optional.empty();
        }
    }

    private static boolean tooBig(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length > MAX_SECRET_BYTES;
    }

    private static boolean signedBy(String address, byte[] challenge, String auth) {
        return Signatures.isPersonalSignedBy(challenge, auth, address);
    }

    private boolean signedByOwnerOf(String contract, byte[] challenge, String auth) {
        Optional<String> owner = owners.ownerOf(contract);
        return owner.isPresent() && signedBy(owner.get(), challenge, auth);
    }

    private static String error(String message) {
        return "{\"error\":[\"" + message.replace("\"", "'") + "\"]}";
    }
}
