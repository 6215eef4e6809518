package dev.teeflow.protocol.net;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A second docker-registry (distribution 2.8, the {@code docker-registry} binary of Debian's
 * docker-registry package) on a free loopback port with htpasswd auth, for credential tests in any module
 * (the protocol test-jar). Its files (config, htpasswd with a bcrypt hash, blobs, log) live in {@code dir}.
 */
public final class AuthRegistry implements AutoCloseable {
    private final Process process;
    /** {@code 127.0.0.1:<port>}. */
    public final String address;

    public AuthRegistry(Path dir, String user, String password) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        address = "127.0.0.1:" + port;
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        Files.writeString(dir.resolve("htpasswd"), user + ":" + OpenBSDBCrypt.generate("2a", password.toCharArray(), salt, 6) + "\n");
        Files.writeString(dir.resolve("config.yml"), """
                version: 0.1
                log: { level: warn }
                storage:
                  filesystem: { rootdirectory: %s }
                  delete: { enabled: true }
                http: { addr: "%s" }
                auth:
                  htpasswd: { realm: teeflow-test, path: %s }
                """.formatted(dir.resolve("data"), address, dir.resolve("htpasswd")));
        process = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 100; i++) {
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 401) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        close();
        throw new IllegalStateException("docker-registry with auth did not start: " + Files.readString(dir.resolve("registry.log")));
    }

    @Override
    public void close() {
        process.destroy();
    }
}
