package dev.teeflow.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.config.InvalidPipelineException;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.state.StateLock;
import dev.teeflow.engine.state.LockedException;
import dev.teeflow.engine.testing.RecordingStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
    @TempDir
    Path project;

    private final Registry registry = Registry.of(List.of(
            new RecordingStep("pure", Effect.PURE), new RecordingStep("external", Effect.EXTERNAL)), List.of());

    @BeforeEach
    void reset() {
        RecordingStep.runs.clear();
        RecordingStep.peak.set(0);
        RecordingStep.checks.clear();
    }

    @Test
    void whatCannotBeCheckedIsUnknownAndStopsInsteadOfPayingAgain() {
        Engine e = engine(step("sms", "external", Map.of("value", "1")),
                step("deal", "external", Map.of("value", new Ref("sms", "value"))));
        assertThat(e.apply(List.of(), List.of()).succeeded()).isTrue();
        for (String how : List.of("unknown", "throws")) {
            RecordingStep.runs.clear();
            RecordingStep.checks.put("deal", how);
            Plan plan = e.plan(List.of(), List.of());
            assertThat(plan.steps()).filteredOn(s -> s.address().equals("deal"))
                    .allSatisfy(s -> {
                        assertThat(s.action()).isEqualTo(Action.BLOCKED);
                        assertThat(s.reason()).startsWith("unknown: ");
                    });
            Report report = e.apply(List.of(), List.of());
            assertThat(report.succeeded()).isFalse();
            assertThat(RecordingStep.runs).isEmpty();
        }
    }

    @Test
    void aStepThatOnlyPutsBackWhatItRecordedDoesNotMakeItsDependentsRun() {
        Engine e = engine(step("key", "external", Map.of("value", "k")),
                step("deal", "external", Map.of("value", new Ref("key", "value"))));
        assertThat(e.apply(List.of(), List.of()).succeeded()).isTrue();
        RecordingStep.runs.clear();
        RecordingStep.checks.put("key", "restorable");
        Plan plan = e.plan(List.of(), List.of());
        assertThat(plan.steps()).extracting(s -> s.address() + " " + s.action().label())
                .containsExactly("key re-run", "deal up-to-date");
        Report report = e.apply(List.of(), List.of());
        assertThat(report.succeeded()).isTrue();
        assertThat(RecordingStep.runs).containsExactly("key");
    }

    private Engine engine(Map<String, String> env, StepSpec... steps) {
        Map<String, StepSpec> map = new LinkedHashMap<>();
        for (StepSpec s : steps) {
            map.put(s.address(), s);
        }
        EngineOptions options = EngineOptions.defaults(project.resolve(".teeflow")).withEnv(env).withParallelism(4);
        return Engine.open(new Pipeline("test", null, project, map), registry, options);
    }

    private Engine engine(StepSpec... steps) {
        return engine(Map.of(), steps);
    }

    private static StepSpec step(String address, String type, Map<String, Object> inputs) {
        return StepSpec.of(address, type, inputs);
    }

    @Test
    void secondApplyRunsNothing() {
        Engine e = engine(step("a", "pure", Map.of("value", "1")),
                step("b", "pure", Map.of("value", new Ref("a", "value"))));
        assertThat(e.apply(List.of(), List.of()).succeeded()).isTrue();
        assertThat(RecordingStep.runs).containsExactly("a", "b");

        RecordingStep.runs.clear();
        Report second = e.apply(List.of(), List.of());
        assertThat(RecordingStep.runs).isEmpty();
        assertThat(second.count(StepOutcome.Status.UP_TO_DATE)).isEqualTo(2);
        assertThat(e.plan(List.of(), List.of()).hasChanges()).isFalse();
    }

    @Test
    void touchingAnInputFileReRunsExactlyWhatDependsOnIt() throws IOException {
        Files.writeString(project.resolve("data.txt"), "v1");
        Engine e = engine(step("reader", "pure", Map.of("file", "data.txt")),
                step("after", "pure", Map.of("value", new Ref("reader", "value"), "file", "data.txt")),
                step("other", "pure", Map.of("value", "x")));
        e.apply(List.of(), List.of());
        RecordingStep.runs.clear();

        Files.writeString(project.resolve("data.txt"), "v2");
        Plan plan = e.plan(List.of(), List.of());
        assertThat(plan.steps()).filteredOn(s -> s.address().equals("reader")).singleElement()
                .satisfies(s -> {
                    assertThat(s.action()).isEqualTo(Action.RERUN);
                    assertThat(s.reason()).contains("content of 'file' changed");
                });
        assertThat(plan.steps()).filteredOn(s -> s.address().equals("other")).singleElement()
                .satisfies(s -> assertThat(s.action()).isEqualTo(Action.UP_TO_DATE));

        e.apply(List.of(), List.of());
        assertThat(RecordingStep.runs).containsExactlyInAnyOrder("reader", "after");
    }

    @Test
    void aStepWhoseUpstreamReproducedTheSameOutputIsNotRunAgain() throws IOException {
        Files.writeString(project.resolve("data.txt"), "v1");
        Engine e = engine(step("producer", "pure", Map.of("file", "data.txt", "constant", true)),
                step("consumer", "pure", Map.of("value", new Ref("producer", "value"))));
        e.apply(List.of(), List.of());
        RecordingStep.runs.clear();
        Files.writeString(project.resolve("data.txt"), "v2");

        e.apply(List.of(), List.of());

        assertThat(RecordingStep.runs).containsExactly("producer");
    }

    @Test
    void aFailureStopsItsDependentsAndLetsTheOthersFinish() {
        Engine e = engine(step("bad", "pure", Map.of("fail", true)),
                step("after-bad", "pure", Map.of("value", new Ref("bad", "value"))),
                step("independent", "pure", Map.of("value", "ok")));
        Report report = e.apply(List.of(), List.of());

        assertThat(report.succeeded()).isFalse();
        assertThat(outcome(report, "bad").status()).isEqualTo(StepOutcome.Status.FAILED);
        assertThat(outcome(report, "bad").message()).contains("asked to fail");
        assertThat(outcome(report, "after-bad").status()).isEqualTo(StepOutcome.Status.NOT_RUN);
        assertThat(outcome(report, "after-bad").message()).contains("upstream bad failed");
        assertThat(outcome(report, "independent").status()).isEqualTo(StepOutcome.Status.DONE);
    }

    @Test
    void externalStepsWaitForEveryPureStepAndDoNotStartWhenOneFailed() {
        Engine e = engine(step("deploy", "external", Map.of("value", "x")),
                step("slow-pure", "pure", Map.of("sleep", 200L)),
                step("broken-pure", "pure", Map.of("fail", true, "sleep", 100L)));
        Report report = e.apply(List.of(), List.of());

        assertThat(RecordingStep.runs).doesNotContain("deploy");
        assertThat(outcome(report, "deploy").status()).isEqualTo(StepOutcome.Status.NOT_RUN);
        assertThat(outcome(report, "deploy").message()).contains("broken-pure");
    }

    @Test
    void externalStepsRunAfterThePureOnes() {
        Engine e = engine(step("deploy", "external", Map.of("value", "x")),
                step("build", "pure", Map.of("sleep", 150L)));
        e.apply(List.of(), List.of());
        assertThat(RecordingStep.runs).containsExactly("build", "deploy");
    }

    @Test
    void aTargetRunsOnlyItselfAndWhatItNeeds() {
        Engine e = engine(step("a", "pure", Map.of()), step("b", "pure", Map.of("value", new Ref("a", "value"))),
                step("c", "pure", Map.of()));
        e.apply(List.of("b"), List.of());
        assertThat(RecordingStep.runs).containsExactly("a", "b");
    }

    @Test
    void replaceForcesOneStepToRunAgain() {
        Engine e = engine(step("a", "pure", Map.of()), step("b", "pure", Map.of()));
        e.apply(List.of(), List.of());
        RecordingStep.runs.clear();
        e.apply(List.of(), List.of("b"));
        assertThat(RecordingStep.runs).containsExactly("b");
    }

    @Test
    void aCycleIsAnErrorThatPrintsTheCycle() {
        assertThatThrownBy(() -> engine(step("a", "pure", Map.of("value", new Ref("c", "value"))),
                step("b", "pure", Map.of("value", new Ref("a", "value"))),
                step("c", "pure", Map.of("value", new Ref("b", "value")))))
                .isInstanceOf(InvalidPipelineException.class)
                .hasMessageContaining("dependency cycle: ")
                .satisfies(ex -> assertThat(ex.getMessage()).containsAnyOf("a -> b -> c -> a", "b -> c -> a -> b", "c -> a -> b -> c"));
    }

    @Test
    void aReferenceToAMissingStepOrOutputNamesBoth() {
        assertThatThrownBy(() -> engine(step("a", "pure", Map.of()),
                step("b", "pure", Map.of("x", new Ref("aa", "value"), "y", new Ref("a", "valeu")))))
                .isInstanceOf(InvalidPipelineException.class)
                .hasMessageContaining("b: references ${{ aa.value }}, but there is no step 'aa' (did you mean 'a'?)")
                .hasMessageContaining("step 'a' has no output 'valeu' (did you mean 'value'?)");
    }

    @Test
    void aDamagedRecordMeansRunAgainNotACrash() throws IOException {
        Engine e = engine(step("a", "pure", Map.of()));
        e.apply(List.of(), List.of());
        Files.writeString(project.resolve(".teeflow/state/a.json"), "{ not json");

        Plan plan = e.plan(List.of(), List.of());
        assertThat(plan.steps().get(0).action()).isEqualTo(Action.RERUN);
        assertThat(plan.steps().get(0).reason()).contains(".teeflow/state/a.json").contains("unreadable");
        assertThat(e.apply(List.of(), List.of()).succeeded()).isTrue();
    }

    @Test
    void aSecretNeverReachesTheStateDirectoryAndChangingItReRunsTheStep() throws IOException {
        String canary = "canary-Secret-Value-42";
        Engine e = engine(Map.of("TOKEN", canary), step("use", "pure", Map.of("secret", SecretRef.env("TOKEN"))));
        e.apply(List.of(), List.of());
        assertThat(filesContaining(project.resolve(".teeflow"), canary)).isEmpty();
        assertThat(filesContaining(project.resolve(".teeflow"),
                java.util.HexFormat.of().formatHex(canary.getBytes()))).isEmpty();

        Engine changed = engine(Map.of("TOKEN", "another-value"), step("use", "pure", Map.of("secret", SecretRef.env("TOKEN"))));
        Plan plan = changed.plan(List.of(), List.of());
        assertThat(plan.steps().get(0).action()).isEqualTo(Action.RERUN);
        assertThat(plan.steps().get(0).reason()).contains("input 'secret' changed");
    }

    @Test
    void aMissingSecretBlocksTheStepWithAClearReason() {
        Engine e = engine(Map.of(), step("use", "pure", Map.of("secret", SecretRef.env("NOT_SET_ANYWHERE"))));
        Plan plan = e.plan(List.of(), List.of());
        assertThat(plan.steps().get(0).action()).isEqualTo(Action.BLOCKED);
        assertThat(plan.steps().get(0).reason()).contains("NOT_SET_ANYWHERE is not set");
    }

    @Test
    void aSecondApplyWaitsForTheLockAndNamesItsHolder() {
        Engine e = engine(step("a", "pure", Map.of()));
        Path lockFile = project.resolve(".teeflow/lock");
        try (StateLock held = StateLock.acquire(lockFile, "apply", Duration.ZERO)) {
            Engine waiting = Engine.open(e.graph().pipeline(), registry,
                    e.options().withLockTimeout(Duration.ofMillis(300)));
            assertThatThrownBy(() -> waiting.apply(List.of(), List.of()))
                    .isInstanceOf(LockedException.class)
                    .hasMessageContaining("locked by 'apply'")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
        assertThat(e.apply(List.of(), List.of()).succeeded()).isTrue();
    }

    @Test
    void independentStepsRunInParallel() {
        Engine e = engine(step("s1", "pure", Map.of("sleep", 400L)), step("s2", "pure", Map.of("sleep", 400L)),
                step("s3", "pure", Map.of("sleep", 400L)));
        e.apply(List.of(), List.of());
        assertThat(RecordingStep.peak.get()).isGreaterThan(1);
    }

    @Test
    void serialMeansOneAtATime() {
        Engine e = engine(step("s1", "pure", Map.of("sleep", 100L)), step("s2", "pure", Map.of("sleep", 100L)));
        Engine serial = Engine.open(e.graph().pipeline(), registry, e.options().withParallelism(1));
        serial.apply(List.of(), List.of());
        assertThat(RecordingStep.peak.get()).isEqualTo(1);
    }

    @Test
    void anInterruptedExternalStepResumesWhatItRecordedInsteadOfStartingAgain() {
        Engine crashing = engine(step("deal", "external", Map.of("resumable", true, "crash-after-intent", true)));
        assertThat(crashing.apply(List.of(), List.of()).succeeded()).isFalse();

        // Same inputs but for the crash switch would change the key; resume needs the same key, so keep it.
        Plan plan = crashing.plan(List.of(), List.of());
        assertThat(plan.steps().get(0).action()).isEqualTo(Action.RESUME);
        assertThat(plan.steps().get(0).reason()).contains("[tx]");

        Report report = crashing.apply(List.of(), List.of());
        assertThat(report.succeeded()).isTrue();
        assertThat(crashing.recordedOutputs("deal").get("value")).isEqualTo("resumed 0xabc");
        assertThat(project.resolve(".teeflow/intents/deal.json")).doesNotExist();
    }

    private static StepOutcome outcome(Report report, String address) {
        return report.outcomes().stream().filter(o -> o.address().equals(address)).findFirst().orElseThrow();
    }

    private static List<Path> filesContaining(Path dir, String needle) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> {
                try {
                    return new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1).contains(needle);
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }).toList();
        }
    }

    @SuppressWarnings("unused")
    private static final Set<String> NONE = Set.of();
}
