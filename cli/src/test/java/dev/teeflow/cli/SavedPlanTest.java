package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan --saved FILE} then {@code apply FILE}: exactly that plan, or a refusal when the world moved. */
class SavedPlanTest {
    static final String CANARY = "canary-7f3e9a1c-secret-value";
    @TempDir
    Path dir;

    private void pipeline() throws IOException {
        Files.writeString(dir.resolve("teeflow.yml"), """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: saved
                params: { who: a }
                steps:
                  greet:
                    type: command
                    with:
                      run: "cat data.txt > out.txt; echo ${#TOKEN} >> out.txt"
                      inputs: [data.txt]
                      outputs: { f: out.txt }
                      env: { TOKEN: { secret: env:TOKEN } }
                """);
        Files.writeString(dir.resolve("data.txt"), "one\n");
    }

    private String planFile() {
        return dir.resolve("plan.json").toString();
    }

    private static Map<String, String> env() {
        return Map.of("TOKEN", CANARY);
    }

    @Test
    void aSavedPlanAppliesUnchangedAndHoldsNoSecret() throws IOException {
        pipeline();
        CliRun plan = CliRun.in(dir, env(), "plan", "--no-color", "--saved", planFile());
        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
        assertThat(plan.err()).contains("Saved this plan to " + planFile() + "; apply exactly it with: teeflow apply " + planFile());
        String saved = Files.readString(dir.resolve("plan.json"));
        assertThat(saved).contains("\"schema\" : \"teeflow.saved-plan/v1\"").contains("\"address\" : \"greet\"")
                .contains("\"action\" : \"create\"").doesNotContain(CANARY);

        CliRun apply = CliRun.in(dir, env(), "apply", "--no-color", planFile());
        assertThat(apply.exitCode()).as(apply.out() + apply.err()).isZero();
        assertThat(apply.out()).contains("The saved plan " + planFile() + " still holds; applying it.").contains("1 done");
        assertThat(Files.readString(dir.resolve("out.txt"))).startsWith("one");

        // applied once, the same plan is refused: the state moved
        CliRun again = CliRun.in(dir, env(), "apply", "--no-color", planFile());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("nothing was sent: the saved plan " + planFile() + " no longer holds: the state of greet"
                + " changed since the plan was saved");
    }

    @Test
    void aSavedPlanIsRefusedAfterAnInputChanged() throws IOException {
        pipeline();
        assertThat(CliRun.in(dir, env(), "plan", "--saved", planFile()).exitCode()).isZero();
        Files.writeString(dir.resolve("data.txt"), "two\n");
        CliRun apply = CliRun.in(dir, env(), "apply", "--no-color", planFile());
        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(apply.err()).contains("nothing was sent: the saved plan " + planFile() + " no longer holds: an input of greet"
                + " changed since the plan was saved; make a new plan (teeflow plan --saved " + planFile() + ")");
        assertThat(dir.resolve("out.txt")).doesNotExist();
    }

    @Test
    void aSavedPlanIsRefusedAfterTheSecretOrThePipelineFileOrAParameterChanged() throws IOException {
        pipeline();
        assertThat(CliRun.in(dir, env(), "plan", "--saved", planFile()).exitCode()).isZero();
        CliRun otherSecret = CliRun.in(dir, Map.of("TOKEN", "another-secret-value"), "apply", planFile());
        assertThat(otherSecret.err()).contains("an input of greet changed");
        CliRun param = CliRun.in(dir, env(), "apply", "-p", "who=b", planFile());
        assertThat(param.err()).contains("the parameters (-p) differ from the ones the plan was made with");
        Files.writeString(dir.resolve("teeflow.yml"), Files.readString(dir.resolve("teeflow.yml")) + "# a comment\n");
        CliRun file = CliRun.in(dir, env(), "apply", planFile());
        assertThat(file.exitCode()).isEqualTo(1);
        assertThat(file.err()).contains("the pipeline file teeflow.yml changed since the plan was saved");
        assertThat(dir.resolve("out.txt")).doesNotExist();
    }

    @Test
    void aFileThatIsNotASavedPlanIsAClearError() throws IOException {
        pipeline();
        Files.writeString(dir.resolve("plan.json"), "{\"schema\": \"teeflow.plan/v3\"}");
        CliRun apply = CliRun.in(dir, env(), "apply", planFile());
        assertThat(apply.exitCode()).isNotZero();
        assertThat(apply.err()).contains(planFile() + " is not a saved plan of this teeflow (schema teeflow.saved-plan/v1)");
    }
}
