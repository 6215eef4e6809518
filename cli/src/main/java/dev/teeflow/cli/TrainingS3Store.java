package dev.teeflow.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The few S3 calls the s3 state backend makes (list, get, conditional put, delete), answered from memory on
 * loopback, for {@link StartupTraining} only: the training run of the s3 start-up cache has no store to
 * talk to, and the classes a real store's answers load (the AWS SDK's signing, HTTP and XML) are what the
 * cache is for. It checks no signature and keeps nothing: it is not a store.
 */
final class TrainingS3Store implements AutoCloseable {
    private record StoredObject(byte[] bytes, String etag) {
    }

    private final HttpServer server;
    private final Map<String, StoredObject> objects = new ConcurrentSkipListMap<>();

    private TrainingS3Store(HttpServer server) {
        this.server = server;
    }

    static TrainingS3Store start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        TrainingS3Store store = new TrainingS3Store(server);
        server.createContext("/", store::handle);
        server.start();
        return store;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath(); // /bucket or /bucket/key (path-style)
            int slash = path.indexOf('/', 1);
            String key = slash < 0 ? "" : path.substring(slash + 1);
            switch (x.getRequestMethod()) {
                case "GET" -> {
                    if (key.isEmpty()) {
                        list(x, query(x.getRequestURI().getRawQuery(), "prefix"));
                    } else {
                        get(x, key);
                    }
                }
                case "PUT" -> put(x, key);
                case "DELETE" -> {
                    objects.remove(key);
                    x.sendResponseHeaders(204, -1);
                }
                default -> error(x, 405, "MethodNotAllowed");
            }
        }
    }

    private void get(HttpExchange x, String key) throws IOException {
        StoredObject o = objects.get(key);
        if (o == null) {
            error(x, 404, "NoSuchKey");
            return;
        }
        x.getResponseHeaders().add("ETag", o.etag());
        x.getResponseHeaders().add("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
        x.getResponseHeaders().add("Content-Type", "application/octet-stream");
        send(x, 200, o.bytes());
    }

    private void put(HttpExchange x, String key) throws IOException {
        byte[] body = x.getRequestBody().readAllBytes();
        String ifNoneMatch = x.getRequestHeaders().getFirst("If-None-Match");
        String ifMatch = x.getRequestHeaders().getFirst("If-Match");
        synchronized (objects) {
            StoredObject current = objects.get(key);
            if ("*".equals(ifNoneMatch) && current != null || ifMatch != null && (current == null || !ifMatch.equals(current.etag()))) {
                error(x, 412, "PreconditionFailed");
                return;
            }
            StoredObject stored = new StoredObject(body, etag(body));
            objects.put(key, stored);
            x.getResponseHeaders().add("ETag", stored.etag());
        }
        x.sendResponseHeaders(200, -1);
    }

    private void list(HttpExchange x, String prefix) throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><IsTruncated>false</IsTruncated>");
        objects.forEach((key, o) -> {
            if (key.startsWith(prefix)) {
                xml.append("<Contents><Key>").append(escape(key)).append("</Key><ETag>").append(escape(o.etag()))
                        .append("</ETag><Size>").append(o.bytes().length).append("</Size></Contents>");
            }
        });
        xml.append("</ListBucketResult>");
        x.getResponseHeaders().add("Content-Type", "application/xml");
        send(x, 200, xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void error(HttpExchange x, int status, String code) throws IOException {
        x.getResponseHeaders().add("Content-Type", "application/xml");
        send(x, status, ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + code
                + "</Message></Error>").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange x, int status, byte[] body) throws IOException {
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    private static String query(String rawQuery, String name) {
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(name)) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return "";
    }

    private static String etag(byte[] bytes) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
