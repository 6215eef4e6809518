package dev.teeflow.state.remote.s3;

import java.net.URI;
import java.nio.file.Path;

/** s3proxy for tests outside this package: its endpoint, keys and where it keeps the objects on disk. */
public final class S3ProxyAccess implements AutoCloseable {
    private final S3ProxyServer server;
    private final Path dir;

    private S3ProxyAccess(S3ProxyServer server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    public static S3ProxyAccess start(Path dir, String... buckets) throws Exception {
        return new S3ProxyAccess(S3ProxyServer.start(dir, buckets), dir);
    }

    public URI endpoint() {
        return server.endpoint();
    }

    public String accessKey() {
        return S3ProxyServer.ACCESS_KEY;
    }

    public String secretKey() {
        return S3ProxyServer.SECRET_KEY;
    }

    /** The folder holding the buckets' files, byte for byte as uploaded. */
    public Path dataDir() {
        return dir.resolve("data");
    }

    @Override
    public void close() {
        server.close();
    }
}
