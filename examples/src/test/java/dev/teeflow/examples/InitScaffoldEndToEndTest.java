package dev.teeflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A newcomer's first minutes: {@code teeflow init} (python, TDX, with a dataset and a requester secret, for the
 * devnet), then the README's {@code teeflow apply}, without editing a file: the task runs and its answer is
 * printed; the second apply does nothing. Each command is its own process, against this test's own devnet.
 *
 * <p>Needs what {@link EmailCheckerEndToEndTest} needs: Docker, the registry on 127.0.0.1:5000 and the base
 * image teeflow/python3:bookworm. It fails, never skips, without them.
 */
class InitScaffoldEndToEndTest extends OneDevnetPerClass {
    @Test
    void theDefaultScaffoldRunsAsWrittenAndItsSecondApplyDoesNothing() throws Exception {
        // a name of its own: the registry on 127.0.0.1:5000 is shared with other tests
        String name = "init-e2e-" + Long.toHexString(System.nanoTime());
        ExampleRuns.Run init = runs.teeflow(work, Map.of(), "init", name, "--yes", "--no-color");
        assertThat(init.code()).as(init.text()).isZero();
        assertThat(init.text()).contains("APP_SECRET=my-secret teeflow apply");
        Path project = work.resolve(name);
        assertThat(Files.readString(project.resolve("README.md"))).contains("    APP_SECRET=my-secret teeflow apply");

        // the devnet's git host is on this test's ports, not the default 8549 the file falls back to
        Map<String, String> env = Map.of("TEEFLOW_GIT_HOST", devnet.path("gitHost").asText(), "APP_SECRET", "my-secret");
        ExampleRuns.Run first = runs.teeflow(project, env, "apply", "--no-color");
        assertThat(first.code()).as(first.text()).isZero();
        assertThat(first.text()).contains("0 failed, 0 not run")
                .contains("Results:\n  run.main: the dataset holds 21 word(s); the requester secret has 9 character(s)")
                .doesNotContain("my-secret");
        assertThat(Files.readString(project.resolve("out/result.txt")))
                .isEqualTo("the dataset holds 21 word(s); the requester secret has 9 character(s)\n");

        ExampleRuns.Run second = runs.teeflow(project, env, "apply", "--no-color");
        assertThat(second.code()).as(second.text()).isZero();
        assertThat(second.text()).containsPattern("Apply complete: 0 done, [1-9][0-9]* up-to-date, 0 failed, 0 not run")
                .doesNotContain("> run.main.deal").doesNotContain("matchOrders")
                .contains("run.main: the dataset holds 21 word(s)");
    }
}
