package dev.teeflow.state.remote.s3;

import dev.teeflow.devnet.net.LocalPorts;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * s3proxy 2.6.0 (Maven Central, copied to target/s3proxy by the build) serving a file-system bucket store
 * on a free 127.0.0.1 port, in its own JVM: its Jetty 11 would clash with the devnet's Jetty 12 here.
 * It stores and serves objects like S3 but ignores {@code If-None-Match}/{@code If-Match} on uploads.
 */
final class S3ProxyServer implements AutoCloseable {
    static final String ACCESS_KEY = "teeflow-test-access";
    static final String SECRET_KEY = "teeflow-test-secret-0123456789";

    private final Process process;
    private final int port;
    private final Path log;

    private S3ProxyServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static S3ProxyServer start(Path dir, String... buckets) throws Exception {
        String jar = System.getProperty("teeflow.s3proxy.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("s3proxy jar not found at " + jar + " (the build copies it to target/s3proxy)");
        }
        Path data = Files.createDirectories(dir.resolve("data"));
        for (String bucket : buckets) {
            Files.createDirectories(data.resolve(bucket));
        }
        int port = LocalPorts.freeBlock(1);
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n", List.of(
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data,
                "jclouds.identity=" + ACCESS_KEY,
                "jclouds.credential=" + SECRET_KEY)) + "\n");
        Path log = dir.resolve("s3proxy.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar, "--properties", properties.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3ProxyServer server = new S3ProxyServer(p, port, log);
        server.awaitUp(Duration.ofSeconds(90));
        return server;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    private void awaitUp(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited: " + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) endpoint().toURL().openConnection();
                c.setConnectTimeout(500);
                c.getResponseCode(); // any answer (403 without credentials) means it is up
                c.disconnect();
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        close();
        throw new IllegalStateException("s3proxy did not start within " + timeout + ": " + Files.readString(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
