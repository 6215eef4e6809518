package dev.teeflow.actions.app;

import static org.assertj.core.api.Assertions.fail;

import dev.teeflow.actions.docker.DockerEngine;
import dev.teeflow.actions.docker.DockerUnavailableException;
import dev.teeflow.engine.spi.InputFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the Docker tests need from the machine: an engine (scripts/docker-up.sh), the registry on
 * 127.0.0.1:5000, the local base image (scripts/base-images.sh) and the sconify stand-in (built here).
 * Missing pieces fail the test with the command that provides them; nothing is skipped silently.
 */
final class DockerTestSupport {
    static final String REGISTRY = "127.0.0.1:5000";
    static final String BUSYBOX = "teeflow-test/busybox";
    static final String STAND_IN = "teeflow-test/sconify-stand-in";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static boolean standInBuilt;

    private DockerTestSupport() {
    }

    static DockerEngine engine() {
        try {
            DockerEngine engine = DockerEngine.connect();
            if (engine.imageId(BUSYBOX).isEmpty()) {
                fail("image " + BUSYBOX + " is missing: run scripts/base-images.sh");
            }
            return engine;
        } catch (DockerUnavailableException e) {
            return fail("these tests need a Docker engine and the local registry: run scripts/docker-up.sh (" + e.getMessage() + ")");
        }
    }

    static void requireRegistry() {
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            fail("no registry answers on " + REGISTRY + ": run scripts/docker-up.sh (" + e + ")");
        }
    }

    /** Builds the sconify stand-in (a test double) once per test JVM. */
    static synchronized void buildStandIn() throws Exception {
        if (standInBuilt) {
            return;
        }
        Path script = Path.of("src/test/docker/sconify-stand-in/build.sh").toAbsolutePath();
        Process p = new ProcessBuilder("bash", script.toString(), STAND_IN).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            fail("building the sconify stand-in failed: " + out);
        }
        standInBuilt = true;
    }

    /** The registry's own answer for a tag: Docker-Content-Digest, checked against sha256 of the body. */
    static String registryDigest(String path, String tag) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/" + path + "/manifests/" + tag))
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            return null;
        }
        String header = r.headers().firstValue("Docker-Content-Digest").orElseThrow();
        String computed = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body()));
        if (!header.equals(computed)) {
            fail("registry digest header " + header + " differs from the body's " + computed);
        }
        return header;
    }

    static int deleteManifest(String path, String digest) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/" + path + "/manifests/" + digest))
                .DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * A digest of declared input files the way a content-addressed engine sees them: every included
     * file's relative path and bytes. Stands in for the engine's own hashing in these tests.
     */
    static String inputDigest(List<InputFile> files) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (InputFile f : files) {
            md.update(f.name().getBytes(StandardCharsets.UTF_8));
            if (Files.isRegularFile(f.path())) {
                md.update(Files.readAllBytes(f.path()));
                continue;
            }
            try (Stream<Path> walk = Files.walk(f.path())) {
                for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                    String rel = f.path().relativize(p).toString().replace('\\', '/');
                    if (f.include().test(rel)) {
                        md.update(rel.getBytes(StandardCharsets.UTF_8));
                        md.update((byte) 0);
                        md.update(Files.readAllBytes(p));
                    }
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
