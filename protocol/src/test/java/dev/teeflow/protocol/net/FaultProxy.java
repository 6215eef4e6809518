package dev.teeflow.protocol.net;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP proxy in front of a real server that misbehaves on purpose: the next requests can be
 * answered with a status without being forwarded, forwarded with their answer replaced (the request was
 * applied but the client never learns it), or dropped (connection closed without an answer); the whole
 * proxy can go down (connection refused) and come back on the same port. Everything else is forwarded.
 */
public final class FaultProxy implements AutoCloseable {
    /** What the proxy does with one request. */
    public sealed interface Fault permits Pass, Answer, ForwardThenAnswer, Drop { }

    /** Forward as usual (to let some requests through before a fault). */
    public record Pass() implements Fault { }

    /** Answer {@code status} without forwarding: the server never sees the request. */
    public record Answer(int status) implements Fault { }

    /** Forward, then throw the real answer away and answer {@code status}: applied but unknown. */
    public record ForwardThenAnswer(int status) implements Fault { }

    /** Close the connection without an answer, without forwarding. */
    public record Drop() implements Fault { }

    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection", "http2-settings");

    private final URI target;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final List<String> seen = new ArrayList<>();
    private final int port;
    private HttpServer server;

    private FaultProxy(URI target, int port) throws IOException {
        String t = target.toString();
        this.target = URI.create(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
        this.server = bind(port);
        this.port = server.getAddress().getPort();
    }

    /** Starts a proxy on a free loopback port in front of {@code target} (scheme://host:port). */
    public static FaultProxy start(URI target) throws IOException {
        return new FaultProxy(target, 0);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** The next {@code n} requests (after those already scripted) get {@code fault}; later ones are forwarded. */
    public synchronized FaultProxy next(int n, Fault fault) {
        for (int i = 0; i < n; i++) {
            faults.add(fault);
        }
        return this;
    }

    /** "METHOD /path?query" of every request received, faulty or not. */
    public synchronized List<String> requests() {
        return List.copyOf(seen);
    }

    public synchronized long count(String method) {
        return seen.stream().filter(r -> r.startsWith(method + " ")).count();
    }

    /** Stops listening: connections are refused until {@link #up}. */
    public synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Listens again on the same port. */
    public synchronized void up() throws IOException {
        if (server == null) {
            server = bind(port);
        }
    }

    @Override
    public void close() {
        down();
    }

    private HttpServer bind(int p) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", p), 0);
        s.createContext("/", this::handle);
        s.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
        }));
        s.start();
        return s;
    }

    private void handle(HttpExchange ex) throws IOException {
        Fault fault;
        synchronized (this) {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI());
            fault = faults.poll();
        }
        try (ex) {
            byte[] body = readAll(ex.getRequestBody());
            if (fault instanceof Drop) {
                // Closing without a response makes the client see the connection end with no answer.
                closeAbruptly(ex);
                return;
            }
            if (fault instanceof Answer a) {
                respond(ex, a.status(), null, new byte[0]);
                return;
            }
            HttpResponse<byte[]> answer = forward(ex, body);
            if (fault instanceof ForwardThenAnswer f) {
                respond(ex, f.status(), null, new byte[0]);
                return;
            }
            respond(ex, answer.statusCode(), answer, answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange ex, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI().toString()))
                .timeout(Duration.ofMinutes(2))
                .method(ex.getRequestMethod(), body.length == 0 && !"POST".equals(ex.getRequestMethod())
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        ex.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> b.header(name, v));
            }
        });
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void respond(HttpExchange ex, int status, HttpResponse<byte[]> from, byte[] body) throws IOException {
        if (from != null) {
            from.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    ex.getResponseHeaders().put(name, values);
                }
            });
        }
        boolean noBody = "HEAD".equals(ex.getRequestMethod()) || status == 204 || status == 304 || body.length == 0;
        if ("HEAD".equals(ex.getRequestMethod()) && from != null) {
            from.headers().firstValue("Content-Length").ifPresent(l -> ex.getResponseHeaders().set("Content-Length", l));
        }
        ex.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            ex.getResponseBody().write(body);
        }
    }

    private static void closeAbruptly(HttpExchange ex) {
        // HttpExchange has no way to reset the socket; closing before sending headers ends the
        // connection with no bytes of an answer, which clients report as an I/O error.
        ex.close();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
