package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Libraries' informational logging never reaches the user's terminal: stderr is for teeflow's errors. */
class QuietStderrTest {
    @TempDir
    Path dir;

    @Test
    void validatingAGroovyPipelinePrintsNothingOnStderr() throws Exception {
        Path file = Files.writeString(dir.resolve("teeflow.groovy"), """
                pipeline {
                    apiVersion 'teeflow/v1'
                    kind 'Pipeline'
                    name 'quiet'
                    steps {
                        greet {
                            type 'command'
                            with { command(['echo', 'hi']) }
                        }
                    }
                }
                """);
        Process child = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "dev.teeflow.cli.Main", "validate", "--no-color", "-f", file.toString()))
                .directory(dir.toFile()).start();
        child.getOutputStream().close();
        byte[] out = child.getInputStream().readAllBytes();
        byte[] err = child.getErrorStream().readAllBytes();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String stdout = new String(out, StandardCharsets.UTF_8);
        String stderr = new String(err, StandardCharsets.UTF_8);
        assertThat(stderr).as("stderr (stdout: %s)", stdout).isEmpty();
        assertThat(stdout).contains("valid: quiet (1 steps)");
        assertThat(child.exitValue()).isZero();
    }
}
