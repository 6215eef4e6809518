package dev.teeflow.actions.dataset;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP store for the http publisher: GET serves what was uploaded (404 otherwise); any other
 * method stores the body (201), after checking the Authorization header when one is required.
 */
final class UploadStore implements AutoCloseable {
    final Map<String, byte[]> stored = new ConcurrentHashMap<>();
    /** "METHOD /path" of each accepted upload, in order. */
    final List<String> uploads = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    /** @param requiredAuthorization the exact Authorization header uploads need; {@code null} for none */
    UploadStore(String requiredAuthorization) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            if (ex.getRequestMethod().equals("GET")) {
                byte[] body = stored.get(path);
                ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
                if (body != null) {
                    ex.getResponseBody().write(body);
                }
            } else if (requiredAuthorization != null
                    && !requiredAuthorization.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.sendResponseHeaders(401, -1);
            } else {
                stored.put(path, ex.getRequestBody().readAllBytes());
                uploads.add(ex.getRequestMethod() + " " + path);
                ex.sendResponseHeaders(201, -1);
            }
            ex.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
