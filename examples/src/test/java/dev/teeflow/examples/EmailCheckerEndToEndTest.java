package dev.teeflow.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flagship example, end to end, on a RUNNING DEVNET WITH ITS WORKERPOOL: build, TDX tag, push, make and
 * encrypt the dataset, publish it to the devnet's git host, deploy both, push the secrets and the result key,
 * run with an encrypted result, fetch and decrypt it.
 *
 * <p>NEEDS (and FAILS, never skips, without them): `teeflow devnet up` with the workerpool component (devnet.json
 * has a `workerpoolApi` that answers), a Docker engine, the registry on 127.0.0.1:5000
 * (`sudo scripts/docker-up.sh`) and the base image teeflow/python3:bookworm (`sudo scripts/base-images.sh`).
 * Tagged {@code devnet-e2e}, left out of the default build; run it with
 * {@code ./mvnw -B -pl examples -am verify -De2e.excluded= -Dgroups=devnet-e2e -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("devnet-e2e")
class EmailCheckerEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void theExamplePrintsCompromisedThenSafeAndMakesNoSecondDeal() throws Exception {
        JsonNode devnet = prerequisites();
        Path project = copyOfTheExample();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TEEFLOW_GIT_HOST", devnet.path("gitHost").asText());
        env.put("MY_EMAIL", "alice@example.org");

        Run first = apply(project, env);
        assertThat(first.code).as(first.text).isZero();
        assertThat(Files.readString(project.resolve("out/result.txt")).strip()).isEqualTo("This email is compromised!");

        Run second = apply(project, env);
        assertThat(second.code).as(second.text).isZero();
        assertThat(second.text).contains("= run.check.deal up-to-date").doesNotContain("matchOrders");

        // requester secrets are write-once: another email is another secret name
        Path pipeline = project.resolve("teeflow.yml");
        Files.writeString(pipeline, Files.readString(pipeline).replace("my_email", "safe_email"));
        env.put("MY_EMAIL", "nobody@example.org");
        Run safe = apply(project, env);
        assertThat(safe.code).as(safe.text).isZero();
        assertThat(safe.text).contains("> run.check.deal").doesNotContain("> app.checker.build");
        assertThat(Files.readString(project.resolve("out/result.txt")).strip()).isEqualTo("This email is safe!");
    }

    record Run(int code, String text) {
    }

    static Run apply(Path project, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = Main.run(new String[] {"apply", "--no-color", "--file", project.resolve("teeflow.yml").toString()}, env, ps, ps);
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    /** The running devnet's info; a failure naming what to start when something is missing. */
    static JsonNode prerequisites() throws Exception {
        List<String> missing = new ArrayList<>();
        String home = System.getenv().getOrDefault("TEEFLOW_HOME", System.getProperty("user.home") + "/.teeflow");
        Path info = Path.of(home, "devnet", "default", "devnet.json");
        JsonNode devnet = null;
        if (!Files.isRegularFile(info)) {
            missing.add("no devnet: " + info + " does not exist (run `teeflow devnet up`)");
        } else {
            devnet = JSON.readTree(info.toFile());
            String api = devnet.path("workerpoolApi").asText("");
            if (api.isEmpty() || !answers(api + "/tasks/0x00")) {
                missing.add("the devnet has no workerpool answering at '" + api + "' (the worker component must be installed)");
            }
        }
        if (!answers("http://127.0.0.1:5000/v2/")) {
            missing.add("no registry on 127.0.0.1:5000 (run `sudo scripts/docker-up.sh`)");
        }
        Process images = new ProcessBuilder("docker", "image", "inspect", "teeflow/python3:bookworm")
                .redirectErrorStream(true).start();
        images.getInputStream().readAllBytes();
        if (images.waitFor() != 0) {
            missing.add("no image teeflow/python3:bookworm (run `sudo scripts/base-images.sh`)");
        }
        if (!missing.isEmpty()) {
            fail("the email-checker end-to-end test needs a running devnet with its workerpool: " + String.join("; ", missing));
        }
        return devnet;
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
                if (rel.startsWith(".teeflow") || rel.startsWith("out") || rel.startsWith("datasets")) {
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
