package dev.teeflow.examples;

import static org.assertj.core.api.Assertions.fail;

import dev.teeflow.cli.Main;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the teeflow CLI as its own process, as a user would, against a devnet living in {@code home}
 * (its TEEFLOW_HOME), and copies the email-checker example into fresh project folders.
 */
final class ExampleRuns {
    record Run(int code, String text) {
    }

    private final Path home;

    ExampleRuns(Path home) {
        this.home = home;
    }

    Path home() {
        return home;
    }

    /** {@code teeflow ARGS} in {@code dir} with {@code env} added to this process's environment. */
    Run teeflow(Path dir, Map<String, String> env, String... args) throws Exception {
        Process p = process(dir, env, args).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** The process of {@code teeflow ARGS} in {@code dir} with {@code env} added, not yet started. */
    ProcessBuilder process(Path dir, Map<String, String> env, String... args) {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> e = new HashMap<>(env);
        e.put("TEEFLOW_HOME", home.toString());
        pb.environment().putAll(e);
        return pb;
    }

    /**
     * Starts a devnet of the test's own: in this runner's TEEFLOW_HOME, on free ports. Returns its devnet.json.
     */
    com.fasterxml.jackson.databind.JsonNode devnetUp() throws Exception {
        Run up = teeflow(home, Map.of(), "devnet", "up", "--port-base", String.valueOf(freePortBase()));
        if (up.code() != 0) {
            throw new AssertionError("teeflow devnet up exited " + up.code() + ":\n" + up.text());
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(home.resolve("devnet/default/devnet.json").toFile());
    }

    /** Stops the devnet {@link #devnetUp} started. */
    void devnetDown() throws Exception {
        Run down = teeflow(home, Map.of(), "devnet", "down");
        if (down.code() != 0) {
            throw new AssertionError("teeflow devnet down exited " + down.code() + ":\n" + down.text());
        }
    }

    /** Six consecutive free ports for a devnet, chosen where outgoing connections cannot take them. */
    static int freePortBase() {
        return dev.teeflow.devnet.DevnetPorts.findFree().base();
    }

    /** Fails, naming what to start, when the Docker parts the example needs are missing. */
    static void checkDockerParts() throws Exception {
        List<String> missing = new ArrayList<>();
        if (!answers("http://127.0.0.1:5000/v2/")) {
            missing.add("no registry on 127.0.0.1:5000 (run scripts/docker-up.sh)");
        }
        Process images = new ProcessBuilder("docker", "image", "inspect", "teeflow/python3:bookworm")
                .redirectErrorStream(true).start();
        images.getInputStream().readAllBytes();
        if (images.waitFor() != 0) {
            missing.add("no image teeflow/python3:bookworm (run scripts/base-images.sh)");
        }
        if (!missing.isEmpty()) {
            fail("the email-checker example needs: " + String.join("; ", missing));
        }
    }

    static boolean answers(String url) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException | InterruptedException | IllegalArgumentException e) {
            return false;
        }
    }

    /** A copy of the folder {@code from} (files and folders, as they are) at {@code to}. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    /** A fresh copy of examples/email-checker (sources only: no state, no outputs) under {@code parent}. */
    static Path copyOfTheExample(Path parent) throws IOException {
        Path source = Path.of("email-checker").toAbsolutePath();
        if (!Files.isDirectory(source)) {
            source = Path.of("examples", "email-checker").toAbsolutePath();
        }
        Path target = parent.resolve("email-checker");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path rel = source.relativize(p);
                if (rel.startsWith(".teeflow") || rel.startsWith("out") || rel.startsWith("datasets") || rel.startsWith(".secrets")) {
                    continue;
                }
                Path t = target.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return target;
    }
}
