package dev.teeflow.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.state.LockInfo;
import dev.teeflow.engine.state.LockedException;
import dev.teeflow.engine.state.MemoryStateBackend;
import dev.teeflow.engine.state.StateEncryption;
import dev.teeflow.engine.testing.RecordingStep;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An apply that finds nothing to do writes nothing, so it takes no lock and reads a remote state once; an
 * apply with something to do still takes the lock and waits for its holder.
 */
class NothingToDoApplyTest {
    @TempDir
    Path project;

    private final Registry registry = Registry.of(List.of(new RecordingStep("pure", Effect.PURE)), List.of());
    private final MemoryStateBackend remote = new MemoryStateBackend();
    private final String key = randomKey();

    @BeforeEach
    void reset() {
        RecordingStep.runs.clear();
    }

    private static String randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    /** Ten steps in a chain, each fed by the one before; {@code last} is the last step's value. */
    private Engine engine(String last) {
        Map<String, StepSpec> steps = new LinkedHashMap<>();
        IntStream.range(0, 10).forEach(i -> steps.put("s" + i, StepSpec.of("s" + i, "pure",
                i == 0 ? Map.of("value", "first") : i == 9 ? Map.of("value", last, "after", new Ref("s8", "value"))
                        : Map.of("value", new Ref("s" + (i - 1), "value")))));
        EngineOptions options = EngineOptions.defaults(project.resolve(".teeflow")).withEnv(Map.of())
                .withStateBackend(remote).withStateEncryption(StateEncryption.ofRawKey(key))
                .withLockTimeout(Duration.ofMillis(200));
        return Engine.open(new Pipeline("test", null, project, steps), registry, options);
    }

    private static LockInfo someoneElse() {
        return new LockInfo("ci", "another-runner", 4242L, "apply", java.time.Instant.now().toString(), "other-lock-id",
                "https://ci.example/run/7", null);
    }

    @Test
    void anApplyWithNothingToDoReadsTheStateOnceAndTakesNoLock() {
        assertThat(engine("v1").apply(List.of(), List.of()).succeeded()).isTrue();
        int locksBefore = remote.lockAttempts.get();
        int readsBefore = remote.wholeReads.get();
        RecordingStep.runs.clear();

        Report again = engine("v1").apply(List.of(), List.of());

        assertThat(again.count(StepOutcome.Status.UP_TO_DATE)).isEqualTo(10);
        assertThat(again.outcomes()).extracting(StepOutcome::address).startsWith("s0", "s1").endsWith("s9");
        assertThat(RecordingStep.runs).isEmpty();
        assertThat(remote.lockAttempts.get()).as("lock attempts").isEqualTo(locksBefore);
        assertThat(remote.wholeReads.get()).as("whole-state reads").isEqualTo(readsBefore + 1);
    }

    @Test
    void anApplyWithNothingToDoDoesNotWaitBehindAnotherRun() {
        engine("v1").apply(List.of(), List.of());
        RecordingStep.runs.clear();
        remote.tryLock(someoneElse(), Duration.ofMinutes(5));

        assertThat(engine("v1").apply(List.of(), List.of()).count(StepOutcome.Status.UP_TO_DATE)).isEqualTo(10);

        assertThatThrownBy(() -> engine("v2").apply(List.of(), List.of()))
                .as("one step to run: the lock is needed, and its holder is named")
                .isInstanceOf(LockedException.class).hasMessageContaining("another-runner");
        assertThat(RecordingStep.runs).isEmpty();
    }

    @Test
    void anApplyWithOneStepToRunTakesTheLockAndRunsOnlyThatStep() {
        engine("v1").apply(List.of(), List.of());
        RecordingStep.runs.clear();
        int locksBefore = remote.lockAttempts.get();

        Report changed = engine("v2").apply(List.of(), List.of());

        assertThat(changed.count(StepOutcome.Status.DONE)).isEqualTo(1);
        assertThat(changed.count(StepOutcome.Status.UP_TO_DATE)).isEqualTo(9);
        assertThat(RecordingStep.runs).containsExactly("s9");
        assertThat(remote.lockAttempts.get()).isGreaterThan(locksBefore);
    }

    @Test
    void aReportOfEveryStepsOutputsReadsTheStateOnce() {
        Engine e = engine("v1");
        e.apply(List.of(), List.of());
        int readsBefore = remote.wholeReads.get();

        var recorded = e.recordedOutputs();
        IntStream.range(0, 10).forEach(i -> assertThat(recorded.apply("s" + i)).isNotNull());

        assertThat(recorded.apply("s9").get("value")).isEqualTo("v1");
        assertThat(remote.wholeReads.get()).isEqualTo(readsBefore + 1);
    }
}
