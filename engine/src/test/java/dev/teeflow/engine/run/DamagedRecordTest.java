package dev.teeflow.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.state.StateStore;
import dev.teeflow.engine.testing.RecordingStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Garbage in the record of a deal made a second deal. For an external step, unreadable means "stop and ask". */
class DamagedRecordTest {
    @TempDir
    Path project;

    @BeforeEach
    void reset() {
        RecordingStep.runs.clear();
    }

    private Engine engine() {
        Map<String, StepSpec> map = new LinkedHashMap<>();
        map.put("run.check.deal", StepSpec.of("run.check.deal", "external", Map.of("value", "0xdeal")));
        map.put("build", StepSpec.of("build", "pure", Map.of("value", "image")));
        EngineOptions options = EngineOptions.defaults(project.resolve(".teeflow"));
        return Engine.open(new Pipeline("test", null, project, map), Registry.of(List.of(
                new RecordingStep("pure", Effect.PURE), new RecordingStep("external", Effect.EXTERNAL)), List.of()), options);
    }

    @Test
    void anExternalStepWithAnUnreadableRecordIsNotRunAgainUntilSomeoneChooses() throws Exception {
        Engine e = engine();
        assertThat(e.apply(List.of(), List.of()).succeeded()).isTrue();
        Files.writeString(project.resolve(".teeflow/state/run.check.deal.json"), "\u0000garbage{");
        Files.writeString(project.resolve(".teeflow/state/build.json"), "{ not json");
        RecordingStep.runs.clear();

        Plan plan = e.plan(List.of(), List.of());
        var deal = plan.steps().stream().filter(s -> s.address().equals("run.check.deal")).findFirst().orElseThrow();
        assertThat(deal.action()).isEqualTo(Action.BLOCKED);
        assertThat(deal.reason()).contains("unreadable").contains("teeflow state repair run.check.deal");
        var build = plan.steps().stream().filter(s -> s.address().equals("build")).findFirst().orElseThrow();
        assertThat(build.action()).isEqualTo(Action.RERUN); // a pure step just runs again

        assertThat(e.apply(List.of(), List.of()).succeeded()).isFalse();
        assertThat(RecordingStep.runs).containsExactly("build");

        StateRepair repair = new StateRepair(new StateStore(project.resolve(".teeflow")));
        assertThat(repair.report("run.check.deal")).anyMatch(l -> l.startsWith("record: DAMAGED"));
        Path aside = Path.of(repair.forgetRecord("run.check.deal"));
        assertThat(aside.getFileName().toString()).startsWith("run.check.deal.json.damaged-");
        assertThat(aside).hasContent("\u0000garbage{"); // kept to be looked at, never deleted
        assertThatThrownBy(() -> repair.forgetRecord("build")).hasMessageContaining("intact");

        RecordingStep.runs.clear();
        assertThat(e.apply(List.of(), List.of()).succeeded()).isTrue();
        assertThat(RecordingStep.runs).containsExactly("run.check.deal");
    }

    @Test
    void aStepThatRecordedWhatItDidIsRecoveredFromThatInsteadOfActingAgain() throws Exception {
        Map<String, StepSpec> map = new LinkedHashMap<>();
        map.put("run.check.deal", StepSpec.of("run.check.deal", "external", Map.of("resumable", true)));
        Engine e = Engine.open(new Pipeline("test", null, project, map), Registry.of(List.of(
                new RecordingStep("external", Effect.EXTERNAL)), List.of()), EngineOptions.defaults(project.resolve(".teeflow")));
        assertThat(e.apply(List.of(), List.of()).succeeded()).isTrue();
        assertThat(e.recordedOutputs("run.check.deal").get("value")).isEqualTo("run.check.deal"); // acted (paid) once
        Files.writeString(project.resolve(".teeflow/state/run.check.deal.json"), "{\"garbage");
        RecordingStep.runs.clear();

        Plan plan = e.plan(List.of(), List.of());
        assertThat(plan.steps().get(0).action()).isEqualTo(Action.RESUME);
        assertThat(plan.steps().get(0).reason()).contains("unreadable").contains("recovering").contains("[tx]");

        assertThat(e.apply(List.of(), List.of()).succeeded()).isTrue();
        assertThat(e.recordedOutputs("run.check.deal").get("value")).isEqualTo("resumed 0xabc"); // read back, not redone
        assertThat(e.plan(List.of(), List.of()).hasChanges()).isFalse();
    }
}
