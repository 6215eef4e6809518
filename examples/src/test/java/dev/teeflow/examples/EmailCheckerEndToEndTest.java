package dev.teeflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
class EmailCheckerEndToEndTest extends OneDevnetPerClass {
    @Test
    void compromisedThenNothingToDoThenSafeWithAnotherEmail() throws Exception {
        Path project = ExampleRuns.copyOfTheExample(work);
        Map<String, String> env = Map.of("TEEFLOW_GIT_HOST", devnet.path("gitHost").asText(), "MY_EMAIL", "alice@example.org");

        ExampleRuns.Run first = runs.teeflow(project, env, "apply", "--no-color");
        assertThat(first.code()).as(first.text()).isZero();
        assertThat(first.text()).contains("Results:\n  run.check: This email is compromised!");
        assertThat(Files.readString(project.resolve("out/result.txt")).strip()).isEqualTo("This email is compromised!");

        // what the app printed with --verbose, from the workerpool's API through the devnet's Compass
        ExampleRuns.Run logs = runs.teeflow(project, env, "logs", "run.check", "--no-color");
        assertThat(logs.code()).as(logs.text()).isZero();
        assertThat(logs.text()).containsPattern("task 0x[0-9a-f]{64}: COMPLETED")
                .containsPattern("--- stdout \\(0x[0-9a-fA-F]{40}\\) ---\n  checked [1-9][0-9]* row\\(s\\) of the dataset\n"
                        + "  This email is compromised!\n")
                .contains("app exit code 0").doesNotContain("alice@example.org");

        ExampleRuns.Run second = runs.teeflow(project, env, "apply", "--no-color");
        assertThat(second.code()).as(second.text()).isZero();
        assertThat(second.text()).contains("0 done, 14 up-to-date").doesNotContain("matchOrders")
                .contains("run.check: This email is compromised!");

        ExampleRuns.Run safe = runs.teeflow(project, Map.of("TEEFLOW_GIT_HOST", devnet.path("gitHost").asText(), "MY_EMAIL", "nobody@example.org"),
                "apply", "--no-color");
        assertThat(safe.code()).as(safe.text()).isZero();
        assertThat(safe.text()).contains("> requester.secret.my_email").contains("> run.check.deal")
                .doesNotContain("> app.checker.build").doesNotContain("> dataset.emails.encrypt")
                .contains("run.check: This email is safe!");
        assertThat(safe.text()).doesNotContain("alice@example.org").doesNotContain("nobody@example.org");
    }


    @Test
    void aCanarySecretThroughAWholeRunNeverLeavesTheSmsAndTheTask() throws Exception {
        String canary = "canary-" + Long.toHexString(System.nanoTime()) + "@example.org";
        Path project = ExampleRuns.copyOfTheExample(work.resolve("canary"));
        Path outputs = Files.createFile(work.resolve("github-output"));
        Path summary = Files.createFile(work.resolve("github-summary"));
        Map<String, String> env = Map.of("TEEFLOW_GIT_HOST", devnet.path("gitHost").asText(), "MY_EMAIL", canary,
                "GITHUB_ACTIONS", "true", "GITHUB_OUTPUT", outputs.toString(), "GITHUB_STEP_SUMMARY", summary.toString(),
                "GITHUB_WORKSPACE", project.toString());

        ExampleRuns.Run run = runs.teeflow(project, env, "apply", "--no-color");
        assertThat(run.code()).as(run.text()).isZero();
        assertThat(run.text()).contains("This email is safe!");

        byte[] raw = canary.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<String> forms = List.of(canary, java.util.Base64.getEncoder().encodeToString(raw),
                java.util.HexFormat.of().formatHex(raw));
        // GitHub's own masking needs the value once, in ::add-mask:: lines; nothing else may carry it.
        String printed = run.text().lines().filter(l -> !l.startsWith("::add-mask::")).reduce("", (a, b) -> a + b + "\n");
        for (String form : forms) {
            assertThat(printed).as("stdout/stderr").doesNotContain(form);
            assertThat(Files.readString(outputs)).as("GITHUB_OUTPUT").doesNotContain(form);
            assertThat(Files.readString(summary)).as("job summary").doesNotContain(form);
            assertThat(filesContaining(project, form)).as("project folder and state directory").isEmpty();
            assertThat(filesContaining(home.resolve("devnet"), form)).as("devnet logs and data").isEmpty();
        }
    }

    private static List<Path> filesContaining(Path dir, String needle) throws java.io.IOException {
        byte[] bytes = needle.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)
                            .contains(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1));
                } catch (java.io.IOException e) {
                    return false;
                }
            }).toList();
        }
    }
}
