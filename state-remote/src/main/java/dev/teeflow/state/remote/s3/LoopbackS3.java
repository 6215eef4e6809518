package dev.teeflow.state.remote.s3;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not S3, a stand-in for one: a minimal path-style S3 on 127.0.0.1 that honours conditional uploads the way
 * AWS S3 documents them ({@code If-None-Match: *} fails with 412 over an existing object, {@code If-Match}
 * fails with 412 on another ETag or a missing object). It serves GET, HEAD, PUT, DELETE and ListObjectsV2
 * (with {@code start-after}) of one bucket, checks no signature, and keeps objects in memory.
 *
 * <p>Two users: the training run of the s3 start-up cache (dev.teeflow.cli.StartupTraining), which has no
 * store to talk to, and the tests of the lock and compare-and-swap logic that s3proxy cannot exercise (it
 * ignores conditional writes), where it is a TEST DOUBLE: uploads can be dated in the past to expire
 * leases, conditions can be ignored as s3proxy does, and GETs are counted.
 */
public final class LoopbackS3 implements AutoCloseable {
    private record Obj(byte[] bytes, String etag, long modifiedMillis) {
    }

    private final HttpServer server;
    private final String bucket;
    private final TreeMap<String, Obj> objects = new TreeMap<>();
    /** Added to the time an upload is recorded at (its Last-Modified); the Date of answers stays the real time. */
    final AtomicLong writeClockOffsetMillis = new AtomicLong();
    /** When true, conditional headers are ignored, as s3proxy 2.6.0 does. */
    volatile boolean ignoreConditions;
    /** How many objects were read with GET (listings aside). */
    final java.util.concurrent.atomic.AtomicInteger objectGets = new java.util.concurrent.atomic.AtomicInteger();

    public LoopbackS3(String bucket) throws IOException {
        this.bucket = bucket;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized int objectCount() {
        return objects.size();
    }

    synchronized Map<String, byte[]> snapshot() {
        Map<String, byte[]> out = new HashMap<>();
        objects.forEach((k, v) -> out.put(k, v.bytes()));
        return out;
    }

    private long now() {
        return System.currentTimeMillis() + writeClockOffsetMillis.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String prefix = "/" + bucket;
            if (!path.startsWith(prefix)) {
                reply(ex, 404, error("NoSuchBucket"));
                return;
            }
            String key = path.length() > prefix.length() + 1 ? decode(path.substring(prefix.length() + 1)) : "";
            synchronized (this) {
                switch (ex.getRequestMethod()) {
                    case "PUT" -> put(ex, key);
                    case "GET" -> {
                        if (key.isEmpty()) {
                            list(ex);
                        } else {
                            objectGets.incrementAndGet();
                            get(ex, key, true);
                        }
                    }
                    case "HEAD" -> get(ex, key, false);
                    case "DELETE" -> {
                        objects.remove(key);
                        reply(ex, 204, null);
                    }
                    default -> reply(ex, 405, error("MethodNotAllowed"));
                }
            }
        }
    }

    private void put(HttpExchange ex, String key) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        Obj current = objects.get(key);
        String ifNoneMatch = ex.getRequestHeaders().getFirst("If-None-Match");
        String ifMatch = ex.getRequestHeaders().getFirst("If-Match");
        if (!ignoreConditions) {
            if ("*".equals(ifNoneMatch) && current != null) {
                reply(ex, 412, error("PreconditionFailed"));
                return;
            }
            if (ifMatch != null && (current == null || !current.etag().equals(ifMatch))) {
                reply(ex, current == null ? 404 : 412, error(current == null ? "NoSuchKey" : "PreconditionFailed"));
                return;
            }
        }
        String etag = "\"" + md5(body) + "\"";
        objects.put(key, new Obj(body, etag, now()));
        ex.getResponseHeaders().add("ETag", etag);
        reply(ex, 200, null);
    }

    private void get(HttpExchange ex, String key, boolean withBody) throws IOException {
        Obj o = objects.get(key);
        if (o == null) {
            reply(ex, 404, withBody ? error("NoSuchKey") : null);
            return;
        }
        ex.getResponseHeaders().add("ETag", o.etag());
        ex.getResponseHeaders().add("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(o.modifiedMillis()), ZoneOffset.UTC)));
        ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
        if (withBody) {
            reply(ex, 200, o.bytes());
        } else {
            ex.sendResponseHeaders(200, -1);
        }
    }

    private void list(HttpExchange ex) throws IOException {
        String prefix = "";
        String startAfter = "";
        String query = ex.getRequestURI().getRawQuery();
        if (query != null) {
            for (String part : query.split("&")) {
                if (part.startsWith("prefix=")) {
                    prefix = decode(part.substring(7));
                } else if (part.startsWith("start-after=")) {
                    startAfter = decode(part.substring(12));
                }
            }
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
                .append("<Name>").append(bucket).append("</Name><Prefix>").append(prefix).append("</Prefix><IsTruncated>false</IsTruncated>");
        for (Map.Entry<String, Obj> e : objects.tailMap(prefix).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            if (e.getKey().compareTo(startAfter) <= 0) {
                continue;
            }
            xml.append("<Contents><Key>").append(e.getKey()).append("</Key><ETag>").append(e.getValue().etag().replace("\"", "&quot;"))
                    .append("</ETag><Size>").append(e.getValue().bytes().length).append("</Size></Contents>");
        }
        xml.append("</ListBucketResult>");
        ex.getResponseHeaders().add("Content-Type", "application/xml");
        reply(ex, 200, xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] error(String code) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + code
                + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String md5(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
