package dev.teeflow.devnet.sms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Shared plumbing of the devnet's JDK HTTP servers (SMS, market API, storage): bind on 127.0.0.1 only, a
 * small named worker pool that {@link #stop} shuts down (no orphan threads), and response helpers.
 */
public final class LoopbackHttp {
    private LoopbackHttp() {
    }

    /** Binds 127.0.0.1:port (0 = any free port); a busy port is a {@link PortInUseException}. */
    public static HttpServer bind(String component, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            server.setExecutor(executor(component));
            return server;
        } catch (BindException e) {
            throw new PortInUseException(component, port, e);
        } catch (IOException e) {
            throw new IllegalStateException("devnet " + component + " cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server and its worker threads. */
    public static void stop(HttpServer server) {
        server.stop(0);
        if (server.getExecutor() instanceof ExecutorService pool) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ExecutorService executor(String component) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "devnet-" + component.replace(' ', '-') + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        boolean noBody = body == null || body.length == 0 || "HEAD".equals(ex.getRequestMethod()) || status == 204;
        if (contentType != null && !noBody) {
            ex.getResponseHeaders().set("Content-Type", contentType);
        }
        ex.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    public static void sendJson(HttpExchange ex, int status, String json) throws IOException {
        send(ex, status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    public static void sendEmpty(HttpExchange ex, int status) throws IOException {
        send(ex, status, null, null);
    }

    /** Reads at most limit bytes; returns null when the body is larger. */
    public static byte[] readBody(HttpExchange ex, int limit) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] data = in.readNBytes(limit + 1);
            return data.length > limit ? null : data;
        }
    }

    /** Decoded query parameters (first value wins). */
    public static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }
}
