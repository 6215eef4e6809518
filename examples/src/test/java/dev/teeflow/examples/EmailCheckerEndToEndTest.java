package dev.teeflow.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.cli.Main;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flagship example end to end, as a user runs it: {@code teeflow devnet up}, then {@code teeflow apply}
 * of examples/email-checker (build, TDX tag, push, make and encrypt the dataset, publish it to the devnet's
 * git host, deploy both, push the secrets and the result key, run with an encrypted result, fetch and
 * decrypt it), each as its own process. The devnet is this test's own: a temporary TEEFLOW_HOME on free
 * ports, stopped at the end.
 *
 * <p>Needs a Docker engine, the registry on 127.0.0.1:5000 ({@code scripts/docker-up.sh}) and the base
 * image teeflow/python3:bookworm ({@code scripts/base-images.sh}); {@code bin/test} provides them. It fails,
 * never skips, without them.
 */
class EmailCheckerEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;

    @TempDir
    Path work;

    static JsonNode devnet;

    @BeforeAll
    static void startDevnet() throws Exception {
        checkDockerParts();
        int base = freePortBase();
        Run up = teeflow(home, Map.of(), "devnet", "up", "--port-base", String.valueOf(base));
        assertThat(up.code).as(up.text).isZero();
        devnet = JSON.readTree(home.resolve("devnet/default/devnet.json").toFile());
    }

    @AfterAll
    static void stopDevnet() throws Exception {
        Run down = teeflow(home, Map.of(), "devnet", "down");
        assertThat(down.code).as(down.text).isZero();
    }

    @Test
    void compromisedThenNothingToDoThenSafeWithAnotherEmail() throws Exception {
        Path project = copyOfTheExample();
        Map<String, String> env = Map.of("TEEFLOW_GIT_HOST", devnet.path("gitHost").asText(), "MY_EMAIL", "alice@example.org");

        Run first = teeflow(project, env, "apply", "--no-color");
        assertThat(first.code).as(first.text).isZero();
        assertThat(first.text).contains("Results:\n  run.check: This email is compromised!");
        assertThat(Files.readString(project.resolve("out/result.txt")).strip()).isEqualTo("This email is compromised!");

        Run second = teeflow(project, env, "apply", "--no-color");
        assertThat(second.code).as(second.text).isZero();
        assertThat(second.text).contains("0 done, 14 up-to-date").doesNotContain("matchOrders")
                .contains("run.check: This email is compromised!");

        Run safe = teeflow(project, Map.of("TEEFLOW_GIT_HOST", devnet.path("gitHost").asText(), "MY_EMAIL", "nobody@example.org"),
                "apply", "--no-color");
        assertThat(safe.code).as(safe.text).isZero();
        assertThat(safe.text).contains("> requester.secret.my_email").contains("> run.check.deal")
                .doesNotContain("> app.checker.build").doesNotContain("> dataset.emails.encrypt")
                .contains("run.check: This email is safe!");
        assertThat(safe.text).doesNotContain("alice@example.org").doesNotContain("nobody@example.org");
    }

    record Run(int code, String text) {
    }

    /** Runs the CLI as its own process in {@code dir}, with this test's devnet home, as a user would. */
    static Run teeflow(Path dir, Map<String, String> env, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> e = new HashMap<>(env);
        e.put("TEEFLOW_HOME", home.toString());
        pb.environment().putAll(e);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Six consecutive free ports for the devnet (RPC, SMS, market, storage, git, workerpool API). */
    static int freePortBase() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            boolean free = true;
            for (int p = base; p < base + 6 && free; p++) {
                try (ServerSocket s = new ServerSocket(p, 1, java.net.InetAddress.getLoopbackAddress())) {
                    s.setReuseAddress(true);
                } catch (IOException busy) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no six consecutive free ports found");
    }

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
            fail("the email-checker end-to-end test needs: " + String.join("; ", missing));
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

    Path copyOfTheExample() throws IOException {
        Path source = Path.of("email-checker").toAbsolutePath();
        if (!Files.isDirectory(source)) {
            source = Path.of("examples", "email-checker").toAbsolutePath();
        }
        Path target = work.resolve("email-checker");
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
