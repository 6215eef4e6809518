package dev.teeflow.devnet.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.teeflow.devnet.sms.LoopbackHttp;
import dev.teeflow.files.AtomicFiles;
import dev.teeflow.protocol.ipfs.UnixFsCid;

/**
 * The devnet's IPFS: a content-addressed blob store on disk that speaks the subset of IPFS the iExec SDK uses, at
 * one URL that is both the chain's {@code ipfsNode} and its {@code ipfsGateway}. Ids are real CIDv0s, the ones
 * {@code ipfs add} gives the same bytes (see {@link UnixFsCid}).
 * <ul>
 * <li>{@code GET|HEAD /ipfs/<cid>}: the bytes (application/octet-stream), 404 when unknown.</li>
 * <li>{@code POST /api/v0/add}: a multipart/form-data body with one file part, as the SDK's kubo-rpc-client
 * sends it; answers one ndjson line {@code {"Name":"...","Hash":"Qm...","Size":"..."}}. Options that would change
 * the CID ({@code cid-version=1}, {@code raw-leaves}, another {@code chunker} or {@code hash}) are refused.</li>
 * <li>{@code POST /upload}: raw body; answers {@code {"cid":"Qm...","location":"/ipfs/Qm..."}}.</li>
 * </ul>
 * The devnet worker can call {@link #put(Path)} directly. Blobs are written to a temp file and renamed, so a
 * reader never sees half a file; the same content always gets the same id.
 */
public final class StorageServer implements AutoCloseable {
    private final HttpServer server;
    private final Path blobs;

    private StorageServer(HttpServer server, Path blobs) {
        this.server = server;
        this.blobs = blobs;
    }

    /** Starts the store on 127.0.0.1:port (0 = any) keeping blobs under dataDir. */
    public static StorageServer start(Path dataDir, int port) {
        Path blobs = dataDir.resolve("blobs");
        try {
            Files.createDirectories(blobs);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the storage directory " + blobs + ": " + e.getMessage(), e);
        }
        HttpServer http = LoopbackHttp.bind("storage", port);
        StorageServer s = new StorageServer(http, blobs);
        http.createContext("/", s::handle);
        http.start();
        return s;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The gateway base URL (chain.json's ipfsGateway); a result's URL is this + "/ipfs/<id>". */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Stores a file's bytes and returns its id. */
    public String put(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return put(in);
        }
    }

    public String put(byte[] content) throws IOException {
        return put(new java.io.ByteArrayInputStream(content));
    }

    /** Streams content to disk while hashing it; returns its id. */
    public String put(InputStream content) throws IOException {
        Path tmp = AtomicFiles.createTemp(blobs, "upload", null);
        try {
            try (InputStream in = content; OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            }
            String id = UnixFsCid.of(tmp);
            Path target = blobs.resolve(id);
            if (!Files.exists(target)) {
                AtomicFiles.move(tmp, target); // content-addressed: a racing upload wrote the same bytes
            }
            return id;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The stored file of an id, if present. */
    public Optional<Path> path(String id) {
        if (!UnixFsCid.isCidV0(id)) {
            return Optional.empty();
        }
        Path p = blobs.resolve(id);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public void close() {
        LoopbackHttp.stop(server);
    }

    private void add(HttpExchange ex) throws IOException {
        String query = String.valueOf(ex.getRequestURI().getQuery());
        for (String unsupported : new String[] {"cid-version=1", "raw-leaves=true", "chunker=", "hash=", "wrap-with-directory=true"}) {
            if (query.contains(unsupported)) {
                LoopbackHttp.sendJson(ex, 400, "{\"Message\":\"the devnet's IPFS adds with the defaults only (CIDv0, 256 KiB"
                        + " chunks); " + unsupported.replace("=", "") + " is not supported\",\"Code\":0,\"Type\":\"error\"}");
                return;
            }
        }
        Optional<MultipartFile.Part> part;
        try (InputStream in = ex.getRequestBody()) {
            part = MultipartFile.first(ex.getRequestHeaders().getFirst("Content-Type"), in.readAllBytes());
        }
        if (part.isEmpty()) {
            LoopbackHttp.sendJson(ex, 400, "{\"Message\":\"expected a multipart/form-data body with one file part\","
                    + "\"Code\":0,\"Type\":\"error\"}");
            return;
        }
        String id = put(part.get().content());
        String name = part.get().filename().isEmpty() ? id : part.get().filename();
        LoopbackHttp.send(ex, 200, "application/x-ndjson", ("{\"Name\":" + jsonString(name) + ",\"Hash\":\"" + id
                + "\",\"Size\":\"" + Files.size(blobs.resolve(id)) + "\"}\n").getBytes(StandardCharsets.UTF_8));
    }

    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.startsWith("/ipfs/") && (method.equals("GET") || method.equals("HEAD"))) {
                Optional<Path> blob = path(path.substring("/ipfs/".length()).replaceAll("/+$", ""));
                if (blob.isEmpty()) {
                    LoopbackHttp.send(ex, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
                long size = Files.size(blob.get());
                if (method.equals("HEAD")) {
                    ex.getResponseHeaders().set("Content-Length", Long.toString(size));
                    ex.sendResponseHeaders(200, -1);
                    return;
                }
                ex.sendResponseHeaders(200, size == 0 ? -1 : size);
                try (OutputStream out = ex.getResponseBody()) {
                    Files.copy(blob.get(), out);
                }
            } else if (path.equals("/api/v0/add") && method.equals("POST")) {
                add(ex);
            } else if (path.equals("/upload") && method.equals("POST")) {
                String id;
                try (InputStream in = ex.getRequestBody()) {
                    id = put(in);
                }
                LoopbackHttp.sendJson(ex, 200, "{\"cid\":\"" + id + "\",\"location\":\"/ipfs/" + id + "\"}");
            } else {
                LoopbackHttp.send(ex, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            LoopbackHttp.send(ex, 500, "text/plain", "storage error\n".getBytes(StandardCharsets.UTF_8));
        } finally {
            ex.close();
        }
    }
}
