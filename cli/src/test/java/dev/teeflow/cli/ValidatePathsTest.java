package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate reports the path problems plan would block on, without reading the files. */
class ValidatePathsTest {
    @TempDir
    Path dir;

    private void pipeline(String body) throws IOException {
        Files.writeString(dir.resolve("teeflow.yml"), "apiVersion: teeflow/v1\nkind: Pipeline\nname: paths\n" + body);
    }

    @Test
    void aPathLeavingTheProjectIsInvalidAsPlanWouldBlockIt() throws IOException {
        String steps = "steps:\n  read:\n    type: file\n    with: { path: copy.txt, from: ../outside/secret.txt }\n"
                + "  count:\n    type: command\n    with: { run: 'wc -l', inputs: [src/a.txt, /etc/hostname] }\n";
        pipeline(steps);

        CliRun validate = CliRun.in(dir, Map.of(), "validate");
        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.out() + validate.err())
                .contains("teeflow.yml:5:3: read: from: path '../outside/secret.txt' leaves the project folder")
                .contains("teeflow.yml:8:3: count: inputs: path '/etc/hostname' leaves the project folder")
                .contains("allow-outside-paths")
                .doesNotContain("valid: paths");

        CliRun plan = CliRun.in(dir, Map.of(), "plan");
        assertThat(plan.out() + plan.err()).contains("leaves the project folder");

        pipeline("allow-outside-paths: true\n" + steps);
        assertThat(CliRun.in(dir, Map.of(), "validate").out()).contains("valid: paths (2 steps)");
    }

    @Test
    void pathsKnownOnlyFromAnotherStepAreLeftToPlan() throws IOException {
        pipeline("steps:\n  make:\n    type: command\n    with: { run: 'echo hi > out.txt', outputs: { text: out.txt } }\n"
                + "  use:\n    type: file\n    with: { path: copy.txt, from: '${{ make.text }}' }\n");
        CliRun validate = CliRun.in(dir, Map.of(), "validate");
        assertThat(validate.out()).contains("valid: paths (2 steps)");
        assertThat(validate.exitCode()).isZero();
    }
}
