package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    private void pipeline(String body) throws IOException {
        Files.writeString(dir.resolve("teeflow.yml"), "apiVersion: teeflow/v1\nkind: Pipeline\nname: t\n" + body);
    }

    @Test
    void applyThenASecondApplyRunsNothingAndPlanSaysSo() throws IOException {
        pipeline("""
                steps:
                  one:
                    type: command
                    with: { run: "echo hi > one.txt", outputs: { f: one.txt } }
                """);
        assertThat(CliRun.in(dir, Map.of(), "apply").exitCode()).isZero();
        CliRun second = CliRun.in(dir, Map.of(), "apply");
        assertThat(second.out()).contains("0 done, 1 up-to-date");
        CliRun plan = CliRun.in(dir, Map.of(), "plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).isZero();
        assertThat(plan.out()).contains("Nothing to do");
    }

    @Test
    void detailedExitCodeIsTwoWhenChangesArePending() throws IOException {
        pipeline("steps:\n  one:\n    type: command\n    with: { run: 'true' }\n");
        assertThat(CliRun.in(dir, Map.of(), "plan", "--detailed-exitcode").exitCode()).isEqualTo(2);
        assertThat(CliRun.in(dir, Map.of(), "plan").exitCode()).isZero();
    }

    @Test
    void invalidPipelinesExitWithTwoAndNameFileLineAndField() throws IOException {
        pipeline("""
                steps:
                  a:
                    type: comand
                    with: { run: 'true' }
                  b:
                    type: command
                    wiht: { run: 'true' }
                  c:
                    type: command
                    with: { run: 'echo ${{ a.stdout }}' }
                    needs: [d]
                """);
        CliRun run = CliRun.in(dir, Map.of(), "validate");
        assertThat(run.exitCode()).isEqualTo(2);
        String file = dir.resolve("teeflow.yml").toString();
        assertThat(run.err())
                .contains(file + ":5:3: a: unknown step type 'comand' (did you mean 'command'?)")
                .contains(file + ":10:5: steps.b.wiht: unknown field 'wiht'")
                .contains("did you mean 'with'?");
    }

    @Test
    void aCycleAndAMissingReferenceAreReportedWithTheirSteps() throws IOException {
        pipeline("""
                steps:
                  a:
                    type: command
                    with: { run: 'echo ${{ b.stdout }}' }
                  b:
                    type: command
                    with: { run: 'echo ${{ a.stdout }} ${{ a.nothing }}' }
                """);
        CliRun missing = CliRun.in(dir, Map.of(), "validate");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("step 'a' has no output 'nothing'");

        pipeline("""
                steps:
                  a:
                    type: command
                    with: { run: 'echo ${{ b.stdout }}' }
                  b:
                    type: command
                    with: { run: 'echo ${{ a.stdout }}' }
                """);
        CliRun cycle = CliRun.in(dir, Map.of(), "validate");
        assertThat(cycle.exitCode()).isEqualTo(2);
        assertThat(cycle.err()).containsAnyOf("dependency cycle: a -> b -> a", "dependency cycle: b -> a -> b");
    }

    @Test
    void badYamlIsAClearErrorWithItsLine() throws IOException {
        Files.writeString(dir.resolve("teeflow.yml"), "apiVersion: teeflow/v1\nkind: Pipeline\nname: [unclosed\n");
        CliRun run = CliRun.in(dir, Map.of(), "plan");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(dir.resolve("teeflow.yml") + ":");
    }

    @Test
    void aSecretFromTheEnvironmentNeverReachesOutputStateOrThePlan() throws IOException {
        String canary = "Canary-9f8e7d6c5b4a";
        pipeline("""
                steps:
                  leak:
                    type: command
                    with:
                      run: 'echo "token is $TOKEN"; echo "$TOKEN" | base64; printf %s "$TOKEN" | od -An -tx1 | tr -d " \\n"; echo; exit 0'
                      env: { TOKEN: { secret: env:CANARY } }
                  fail:
                    type: command
                    with:
                      run: 'echo "failing with $TOKEN"; exit 3'
                      env: { TOKEN: { secret: env:CANARY } }
                """);
        Map<String, String> env = Map.of("CANARY", canary);
        CliRun apply = CliRun.in(dir, env, "apply", "--json");
        CliRun plan = CliRun.in(dir, env, "plan", "--json");
        CliRun show = CliRun.in(dir, env, "state", "show", "leak");

        assertThat(apply.out()).contains("token is ***").contains("failing with ***");
        List<String> forms = List.of(canary, Base64.getEncoder().encodeToString(canary.getBytes(StandardCharsets.UTF_8)),
                HexFormat.of().formatHex(canary.getBytes(StandardCharsets.UTF_8)));
        for (String form : forms) {
            assertThat(apply.out() + apply.err() + plan.out() + plan.err() + show.out() + show.err()).doesNotContain(form);
            try (Stream<Path> files = Files.walk(dir.resolve(".teeflow"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(form);
                }
            }
        }
    }

    @Test
    void aFailedStepStopsItsDependentsAndTheSummarySaysSo() throws IOException {
        pipeline("""
                steps:
                  broken:
                    type: command
                    with: { run: 'echo boom; exit 7' }
                  after:
                    type: command
                    with: { run: 'echo ${{ broken.stdout }}' }
                  fine:
                    type: command
                    with: { run: 'echo fine' }
                """);
        CliRun run = CliRun.in(dir, Map.of(), "apply");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("1 done, 0 up-to-date, 1 failed, 1 not run")
                .contains("broken: broken: command exited with code 7")
                .contains("after: upstream broken failed");
    }

    @Test
    void aLockFileLeftByADeadRunDoesNotBlockAndForceUnlockRemovesIt() throws IOException {
        pipeline("steps:\n  one:\n    type: command\n    with: { run: 'true' }\n");
        Files.createDirectories(dir.resolve(".teeflow"));
        Files.writeString(dir.resolve(".teeflow/lock"),
                "{\"owner\":\"ghost\",\"host\":\"elsewhere\",\"pid\":1,\"operation\":\"apply\",\"time\":\"then\"}");
        assertThat(CliRun.in(dir, Map.of(), "apply").exitCode()).isZero();

        Files.writeString(dir.resolve(".teeflow/lock"),
                "{\"owner\":\"ghost\",\"host\":\"elsewhere\",\"pid\":1,\"operation\":\"apply\",\"time\":\"then\"}");
        assertThat(CliRun.in(dir, Map.of(), "force-unlock").out()).contains("released the lock held by 'apply' by ghost");
        assertThat(dir.resolve(".teeflow/lock")).doesNotExist();
    }

    @Test
    void aPathOutsideTheProjectIsRefusedUnlessThePipelineAllowsIt() throws IOException {
        Path outside = Files.createTempFile("teeflow-outside", ".txt");
        try {
            String steps = "steps:\n  read:\n    type: file\n    with: { path: copy.txt, from: '" + outside + "' }\n";
            pipeline(steps);
            CliRun refused = CliRun.in(dir, Map.of(), "apply");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.out()).contains("leaves the project folder").contains("allow-outside-paths");

            pipeline("allow-outside-paths: true\n" + steps);
            assertThat(CliRun.in(dir, Map.of(), "apply").exitCode()).isZero();
            assertThat(dir.resolve("copy.txt")).exists();
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void applyEndsWithEveryStepsResultTextEvenWhenUpToDate() throws IOException {
        pipeline("steps:\n  answer:\n    type: test.result\n    with: { text: 'This email is safe!' }\n"
                + "  quiet:\n    type: command\n    with: { run: 'echo not a result' }\n");
        CliRun first = CliRun.in(dir, Map.of(), "apply");
        CliRun second = CliRun.in(dir, Map.of(), "apply");
        for (CliRun run : List.of(first, second)) {
            assertThat(run.out()).contains("Results:\n  answer: This email is safe!").doesNotContain("quiet:");
        }
        assertThat(second.out()).contains("0 done, 2 up-to-date");
    }
}
