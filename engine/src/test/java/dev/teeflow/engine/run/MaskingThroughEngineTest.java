package dev.teeflow.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.steps.CommandStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Masking gaps found by the attack round: a cut secret in a stdout output, and secrets too short to mask. */
class MaskingThroughEngineTest {
    private static final String CANARY = "canary-Secret-Value-42!"; // 23 characters
    @TempDir
    Path project;

    private Engine engine(Map<String, String> env, StepSpec step) {
        Map<String, StepSpec> map = new LinkedHashMap<>();
        map.put(step.address(), step);
        EngineOptions options = EngineOptions.defaults(project.resolve(".teeflow")).withEnv(env);
        return Engine.open(new Pipeline("test", null, project, map), Registry.of(List.of(new CommandStep()), List.of()), options);
    }

    @Test
    void aStdoutOutputCutInTheMiddleOfASecretKeepsNoPartOfIt() throws IOException {
        // The kept 4 KiB begin 3 characters into the secret's line: its last 20 characters used to be stored.
        String run = "echo \"$TOKEN\"; printf %04074d 0 | tr 0 x; echo";
        Engine e = engine(Map.of("TOKEN", CANARY), StepSpec.of("cut", "command",
                Map.of("run", run, "env", Map.of("TOKEN", SecretRef.env("TOKEN")))));
        assertThat(e.apply(List.of(), List.of()).succeeded()).isTrue();

        String stdout = e.recordedOutputs("cut").string("stdout").orElseThrow();
        assertThat(stdout).endsWith("xxxx").doesNotContain(CANARY.substring(3)).doesNotContain(CANARY.substring(10));
        try (Stream<Path> files = Files.walk(project.resolve(".teeflow"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).as(f.toString())
                        .doesNotContain(CANARY.substring(3));
            }
        }
    }

    @Test
    void aSecretTooShortToMaskBlocksItsStepInThePlanNamingTheReference() {
        Engine e = engine(Map.of("PIN", "123"), StepSpec.of("use", "command",
                Map.of("run", "echo ok", "env", Map.of("PIN", SecretRef.env("PIN")))));
        Plan plan = e.plan(List.of(), List.of());
        assertThat(plan.steps().get(0).action()).isEqualTo(Action.BLOCKED);
        assertThat(plan.steps().get(0).reason()).contains("env:PIN").contains("too short to be masked")
                .doesNotContain("123");
    }
}
