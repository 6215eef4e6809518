package dev.teeflow.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.engine.testing.RecordingStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A truncated key file used to pass plan, be pushed to the write-once SMS and paid for. Now every kept step
 * secret is checked against the fingerprint recorded when it was made, before anything uses it.
 */
class DamagedStepSecretTest {
    @TempDir
    Path project;

    static final AtomicInteger keysMade = new AtomicInteger();

    /** Makes a 32-byte key once, like dataset.encrypt; reuses the kept one when there is one. */
    private static final class KeyMaker implements StepType {
        @Override
        public String id() {
            return "keymaker";
        }

        @Override
        public Effect effect() {
            return Effect.PURE;
        }

        @Override
        public Set<String> outputNames(StepSpec spec) {
            return Set.of("key");
        }

        @Override
        public Outputs run(StepContext ctx) {
            if (ctx.storedSecret("key").isEmpty()) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                keysMade.incrementAndGet();
                return Outputs.builder().put("key", ctx.storeSecret("key", Base64.getEncoder().encode(key))).build();
            }
            return Outputs.builder().put("key", dev.teeflow.engine.secret.SecretRef.step(ctx.address(), "key")).build();
        }
    }

    @BeforeEach
    void reset() {
        RecordingStep.runs.clear();
        keysMade.set(0);
    }

    private Engine engine(Map<String, Object> keyInputs) {
        Map<String, StepSpec> map = new LinkedHashMap<>();
        map.put("encrypt", StepSpec.of("encrypt", "keymaker", keyInputs));
        map.put("push-secret", StepSpec.of("push-secret", "external", Map.of("secret", new Ref("encrypt", "key"))));
        EngineOptions options = EngineOptions.defaults(project.resolve(".teeflow"));
        return Engine.open(new Pipeline("test", null, project, map),
                Registry.of(List.of(new KeyMaker(), new RecordingStep("external", Effect.EXTERNAL)), List.of()), options);
    }

    @Test
    void aTruncatedKeyIsShownInThePlanAndNeitherUsedNorReplaced() throws Exception {
        Engine e = engine(Map.of());
        assertThat(e.apply(List.of(), List.of()).succeeded()).isTrue();
        Path keyFile = project.resolve(".teeflow/secrets/encrypt/key");
        byte[] intact = Files.readAllBytes(keyFile);
        Files.write(keyFile, java.util.Arrays.copyOf(intact, 5));
        RecordingStep.runs.clear();

        Plan plan = e.plan(List.of(), List.of());
        PlannedStep encrypt = plan.steps().stream().filter(s -> s.address().equals("encrypt")).findFirst().orElseThrow();
        assertThat(encrypt.action()).isEqualTo(Action.BLOCKED);
        assertThat(encrypt.reason()).contains("step:encrypt/key").contains("is damaged").contains("5 bytes")
                .contains("teeflow state repair encrypt");
        assertThat(plan.steps().stream().filter(s -> s.address().equals("push-secret")).findFirst().orElseThrow().action())
                .isEqualTo(Action.BLOCKED);

        Report report = e.apply(List.of(), List.of());
        assertThat(report.succeeded()).isFalse();
        assertThat(RecordingStep.runs).doesNotContain("push-secret");
        assertThat(keysMade.get()).isEqualTo(1);
        assertThat(Files.readAllBytes(keyFile)).hasSize(5); // not overwritten by a new key

        Files.write(keyFile, intact); // an intact copy put back: everything holds again
        assertThat(e.plan(List.of(), List.of()).hasChanges()).isFalse();
    }

    @Test
    void aDamagedKeyIsNotHandedToAStepThatRunsForAnotherReason() throws Exception {
        Engine e = engine(Map.of());
        assertThat(e.apply(List.of(), List.of()).succeeded()).isTrue();
        Path keyFile = project.resolve(".teeflow/secrets/encrypt/key");
        Files.write(keyFile, "AAAA".getBytes());
        RecordingStep.runs.clear();

        Report report = engine(Map.of("changed", "yes")).apply(List.of(), List.of()); // encrypt runs again
        assertThat(report.succeeded()).isFalse();
        assertThat(report.outcomes().get(0).message()).contains("is damaged");
        assertThat(RecordingStep.runs).doesNotContain("push-secret");
        assertThat(keysMade.get()).isEqualTo(1);
    }
}
