package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What keeps a command's start cheap: no Groovy runtime for a YAML pipeline, training runs that clean up and
 * exercise what their cache is for.
 */
class StartupCostTest {
    @TempDir
    Path dir;

    @Test
    void aYamlPlanLoadsNoGroovyClass() throws Exception {
        Path file = dir.resolve("teeflow.yml");
        Files.writeString(file, StartupTraining.PIPELINE.replace("src/words.txt", "words.txt"));
        Files.writeString(dir.resolve("words.txt"), "some words\n");

        List<String> loaded = childJvm("-Xlog:class+load=info", "dev.teeflow.cli.Main", "plan", "--no-color", "-f", file.toString());

        assertThat(loaded).anyMatch(l -> l.contains("dev.teeflow.engine.run.Engine"));
        // (verifying the Groovy front-end loads three of Groovy's exception classes: that is cheap)
        assertThat(loaded).as("Groovy's runtime is for teeflow.groovy files only; picocli must not start it")
                .noneMatch(l -> l.contains(" groovy.lang.Closure") || l.contains(" org.codehaus.groovy.runtime.")
                        || l.contains(" groovy.lang.MetaClass"));
        assertThat(loaded).as("no step type may open an HTTP client (and set up TLS) before it runs")
                .noneMatch(l -> l.contains(" sun.security.ssl.") || l.contains(" jdk.internal.net.http.HttpClientImpl"));
    }

    @Test
    void trainingRunsTheCommandsAndLeavesNoFolderBehind() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));

        List<String> out = childJvm("-Djava.io.tmpdir=" + tmp, "dev.teeflow.cli.StartupTraining");

        assertThat(out).as("the training prints nothing").isEmpty();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource({"git, org.eclipse.jgit.transport.", "s3, software.amazon.awssdk.services.s3.S3Client",
            "postgres, org.postgresql.shaded.com.ongres.scram.client."})
    void trainingOverARemoteStateLoadsItsBackendAndLeavesNoFolderBehind(String backend, String backendClass) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp-" + backend));

        List<String> out = childJvm("-Djava.io.tmpdir=" + tmp, "-Xlog:class+load=info", "dev.teeflow.cli.StartupTraining", backend);

        assertThat(out).as("the classes the backend's cache is for").anyMatch(l -> l.contains(" " + backendClass));
        assertThat(out).as("nothing but class loading: a failing command would print its error")
                .allMatch(l -> l.contains("[class,load]"));
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    private static List<String> childJvm(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = child.getInputStream().readAllBytes();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(text).isZero();
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }
}
