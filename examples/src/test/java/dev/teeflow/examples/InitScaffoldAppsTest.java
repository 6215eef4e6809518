package dev.teeflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app of every language's scaffold, built from its own Dockerfile (with its .dockerignore) and run as a
 * worker runs it: a dataset in IEXEC_IN, a requester secret, args, results in IEXEC_OUT. Needs Docker and
 * the local base images (scripts/base-images.sh: teeflow/python3:bookworm, teeflow/node:bookworm).
 */
class InitScaffoldAppsTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"python-dataset", "javascript-dataset"})
    void theAppReadsItsInputsAndWritesComputedJson(String template) throws Exception {
        String name = "init-app-" + Long.toHexString(System.nanoTime());
        ExampleRuns runs = new ExampleRuns(work.resolve("home"));
        ExampleRuns.Run init = runs.teeflow(work, Map.of(), "init", name, "--template", template, "--yes");
        assertThat(init.code()).as(init.text()).isZero();
        Path project = work.resolve(name);
        String image = "teeflow-test/" + name + ":1";
        try {
            docker("build", "-q", "-t", image, project.toString());
            Path in = Files.createDirectories(work.resolve("in"));
            Path out = Files.createDirectories(work.resolve("out"));
            Files.writeString(in.resolve("0xdataset"), "one two three\nfour");
            String printed = docker("run", "--rm", "-u", uid(), "-v", in + ":/iexec_in:ro", "-v", out + ":/iexec_out",
                    "-e", "IEXEC_IN=/iexec_in", "-e", "IEXEC_OUT=/iexec_out", "-e", "IEXEC_DATASET_FILENAME=0xdataset",
                    "-e", "IEXEC_REQUESTER_SECRET_1=s3cret!", image, "a", "b");
            String answer = "the dataset holds 4 word(s); the requester secret has 7 character(s); args: a b";
            assertThat(printed.strip()).isEqualTo(answer);
            assertThat(Files.readString(out.resolve("result.txt"))).isEqualTo(answer + "\n");
            JsonNode computed = new ObjectMapper().readTree(out.resolve("computed.json").toFile());
            assertThat(computed.path("deterministic-output-path").asText()).isEqualTo("/iexec_out/result.txt");
            // the image holds the app alone
            String listing = docker("run", "--rm", "--entrypoint", "sh", image, "-c", "ls -a /app");
            assertThat(listing.lines().toList()).containsExactlyInAnyOrder(".", "..", template.startsWith("python") ? "app.py" : "app.js");
        } finally {
            new ProcessBuilder("docker", "rmi", "-f", image).redirectErrorStream(true).start().waitFor();
        }
    }

    private static String uid() throws Exception {
        Process p = new ProcessBuilder("id", "-u").start();
        String u = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return u;
    }

    private static String docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + out + err).isZero();
        return out;
    }
}
