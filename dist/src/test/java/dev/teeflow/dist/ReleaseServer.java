package dev.teeflow.dist;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * GitHub's release downloads on loopback: GET /OWNER/NAME/releases/download/TAG/FILE serves
 * folder/TAG/FILE, anything else is a 404. Remembers every path asked for.
 */
final class ReleaseServer implements AutoCloseable {
    final Path folder;
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    ReleaseServer(Path folder, String repository) throws IOException {
        this.folder = folder;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String prefix = "/" + repository + "/releases/download/";
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            Path file = path.startsWith(prefix) ? folder.resolve(path.substring(prefix.length())).normalize() : null;
            if (file == null || !file.startsWith(folder) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, Files.size(file));
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(file, out);
                }
            }
            exchange.close();
        });
        server.start();
    }

    /** What GITHUB_SERVER_URL would be. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
