package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --state-passphrase}: the state directory encrypted at rest, from the command line. */
class EncryptedStateCliTest {
    @TempDir
    Path dir;

    @Test
    void anEncryptedStateNeedsItsPassphraseForEveryCommand() throws IOException {
        Files.writeString(dir.resolve("teeflow.yml"), """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: t
                steps:
                  one:
                    type: command
                    with: { run: 'true' }
                """);
        Map<String, String> env = Map.of("PW", "a long state passphrase", "OTHER", "not the one");

        CliRun apply = CliRun.in(dir, env, "apply", "--state-passphrase", "env:PW");
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(dir.resolve(".teeflow/encryption.json")).exists();
        assertThat(Files.readString(dir.resolve(".teeflow/state/one.json"), java.nio.charset.StandardCharsets.ISO_8859_1))
                .startsWith("TFENC1").doesNotContain("\"address\"");

        CliRun again = CliRun.in(dir, env, "plan", "--detailed-exitcode", "--state-passphrase", "env:PW");
        assertThat(again.exitCode()).as("nothing to do: " + again.out() + again.err()).isZero();

        CliRun without = CliRun.in(dir, env, "state", "list");
        assertThat(without.exitCode()).isNotZero();
        assertThat(without.err()).contains("is encrypted").contains("--state-passphrase");

        CliRun wrong = CliRun.in(dir, env, "plan", "--state-passphrase", "env:OTHER");
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.err()).contains("wrong state passphrase").doesNotContain("not the one");

        CliRun list = CliRun.in(dir, env, "state", "list", "--state-passphrase", "env:PW");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("one");

        CliRun literal = CliRun.in(dir, env, "plan", "--state-passphrase", "hunter2");
        assertThat(literal.exitCode()).isNotZero();
        assertThat(literal.err()).contains("env:NAME or file:PATH");
    }
}
