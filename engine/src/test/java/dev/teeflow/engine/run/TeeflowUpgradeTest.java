package dev.teeflow.engine.run;

import static dev.teeflow.engine.testing.DelegatingStepType.atVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.engine.spi.TypeUpgrade;
import dev.teeflow.engine.state.NewerStateException;
import dev.teeflow.engine.state.StateStore;
import dev.teeflow.engine.state.StepRecord;
import dev.teeflow.engine.testing.RecordingStep;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new teeflow (another key scheme, a new version of a step type) never runs an external step again
 * because of the upgrade alone: it keeps what still holds, says what changed, and redoes only what a
 * step type declares must be redone.
 */
class TeeflowUpgradeTest {
    @TempDir
    Path project;

    private static final StepType PURE = new RecordingStep("pure", Effect.PURE);
    private static final StepType EXTERNAL = new RecordingStep("external", Effect.EXTERNAL);

    @BeforeEach
    void reset() {
        RecordingStep.runs.clear();
    }

    private Engine engine(List<StepType> types, StepSpec... steps) {
        Map<String, StepSpec> map = new LinkedHashMap<>();
        for (StepSpec s : steps) {
            map.put(s.address(), s);
        }
        return Engine.open(new Pipeline("test", null, project, map), Registry.of(types, List.of()),
                EngineOptions.defaults(project.resolve(".teeflow")));
    }

    private Engine engine(StepSpec... steps) {
        return engine(List.of(PURE, EXTERNAL), steps);
    }

    /** A build (pure) and a deal (external) that reads it: applied once under today's teeflow. */
    private StepSpec[] buildAndDeal(String dealInput) {
        StepSpec[] steps = {StepSpec.of("build", "pure", Map.of("value", "image")),
                StepSpec.of("deal", "external", Map.of("value", new Ref("build", "value"), "extra", dealInput))};
        assertThat(engine(steps).apply(List.of(), List.of()).succeeded()).isTrue();
        RecordingStep.runs.clear();
        return steps;
    }

    private StepRecord record(String address) {
        return new StateStore(project.resolve(".teeflow")).read(address).record();
    }

    private static PlannedStep row(Plan plan, String address) {
        return plan.steps().stream().filter(s -> s.address().equals(address)).findFirst().orElseThrow();
    }

    private static StepOutcome outcome(Report report, String address) {
        return report.outcomes().stream().filter(o -> o.address().equals(address)).findFirst().orElseThrow();
    }

    @Test
    void aNewKeySchemePlansNothingToDoAndApplyRekeysWithoutRunningAnything() {
        StepSpec[] steps = buildAndDeal("x");
        Engine upgraded = engine(steps).withKeyScheme(CacheKey.SCHEME + 1);

        Plan plan = upgraded.plan(List.of(), List.of());
        assertThat(plan.hasChanges()).isFalse();
        assertThat(row(plan, "deal").reason()).isEqualTo("teeflow upgraded: key scheme " + CacheKey.SCHEME + " -> "
                + (CacheKey.SCHEME + 1) + "; inputs unchanged, outputs still hold");
        assertThat(row(plan, "build").action()).isEqualTo(Action.UP_TO_DATE);

        Report report = upgraded.apply(List.of(), List.of());
        assertThat(RecordingStep.runs).isEmpty();
        assertThat(report.count(StepOutcome.Status.UP_TO_DATE)).isEqualTo(2);
        assertThat(record("deal").keyScheme()).isEqualTo(CacheKey.SCHEME + 1);
        assertThat(record("deal").schema()).isEqualTo(StepRecord.SCHEMA);
        assertThat(row(upgraded.plan(List.of(), List.of()), "deal").reason()).isEqualTo("inputs unchanged, outputs still hold");
    }

    @Test
    void anInputChangedAcrossTheUpgradeIsNamedAndRunsAgain() {
        buildAndDeal("x");
        Engine upgraded = engine(StepSpec.of("build", "pure", Map.of("value", "image")),
                StepSpec.of("deal", "external", Map.of("value", new Ref("build", "value"), "extra", "y")))
                .withKeyScheme(CacheKey.SCHEME + 1);

        PlannedStep deal = row(upgraded.plan(List.of(), List.of()), "deal");

        assertThat(deal.action()).isEqualTo(Action.RERUN);
        assertThat(deal.reason()).isEqualTo("teeflow upgraded: key scheme " + CacheKey.SCHEME + " -> "
                + (CacheKey.SCHEME + 1) + "; input 'extra' changed");
    }

    @Test
    void stateWrittenUnderANewerKeySchemeIsAnErrorNotARerun() {
        StepSpec[] steps = buildAndDeal("x");
        engine(steps).withKeyScheme(CacheKey.SCHEME + 1).apply(List.of(), List.of());

        assertThatThrownBy(() -> engine(steps).plan(List.of(), List.of()))
                .isInstanceOf(NewerStateException.class)
                .hasMessage("the record of build was written by a newer teeflow (key scheme " + (CacheKey.SCHEME + 1)
                        + ", this teeflow knows " + CacheKey.SCHEME + "): upgrade teeflow");
        assertThat(outcome(engine(steps).apply(List.of(), List.of()), "build").message())
                .contains("written by a newer teeflow");
        assertThat(RecordingStep.runs).isEmpty();
    }

    @Test
    void aNewVersionOfAnExternalTypeKeepsItsStepsWhileInputsAndOutputsHold() {
        StepSpec[] steps = buildAndDeal("x");
        Engine upgraded = engine(List.of(PURE, atVersion(EXTERNAL, 2, TypeUpgrade.keep())), steps);

        Plan plan = upgraded.plan(List.of(), List.of());
        assertThat(plan.hasChanges()).isFalse();
        assertThat(row(plan, "deal").reason()).isEqualTo("step type external 1 -> 2; inputs unchanged, outputs still hold");

        Report report = upgraded.apply(List.of(), List.of());
        assertThat(RecordingStep.runs).isEmpty();
        assertThat(outcome(report, "deal").status()).isEqualTo(StepOutcome.Status.UP_TO_DATE);
        assertThat(record("deal").typeVersion()).isEqualTo(2);
        assertThat(upgraded.plan(List.of(), List.of()).hasChanges()).isFalse();
    }

    @Test
    void aNewVersionThatAddedAnInputKeepsStepsWhoseOtherInputsHold() {
        buildAndDeal("x");
        StepSpec build = StepSpec.of("build", "pure", Map.of("value", "image"));
        Map<String, Object> withTag = Map.of("value", new Ref("build", "value"), "extra", "x", "tag", "tee");
        Engine upgraded = engine(List.of(PURE, atVersion(EXTERNAL, 2, TypeUpgrade.keepIgnoring("tag"))),
                build, StepSpec.of("deal", "external", withTag));

        assertThat(upgraded.plan(List.of(), List.of()).hasChanges()).isFalse();
        upgraded.apply(List.of(), List.of());
        assertThat(RecordingStep.runs).isEmpty();
        assertThat(record("deal").inputDigests()).containsKey("in:tag");

        Map<String, Object> otherExtra = Map.of("value", new Ref("build", "value"), "extra", "y", "tag", "tee");
        assertThat(row(engine(List.of(PURE, atVersion(EXTERNAL, 3, TypeUpgrade.keepIgnoring("tag"))), build,
                StepSpec.of("deal", "external", otherExtra)).plan(List.of(), List.of()), "deal").reason())
                .isEqualTo("step type external 2 -> 3; input 'extra' changed");
    }

    @Test
    void aNewVersionWhoseEffectMustBeRedoneIsPlannedAsReplaceWithItsReasonAndApplied() {
        StepSpec[] steps = buildAndDeal("x");
        Engine upgraded = engine(List.of(PURE, atVersion(EXTERNAL, 2,
                TypeUpgrade.redo("deals of version 1 asked for no result encryption"))), steps);

        PlannedStep deal = row(upgraded.plan(List.of(), List.of()), "deal");
        assertThat(deal.action()).isEqualTo(Action.REPLACE);
        assertThat(deal.reason()).isEqualTo("step type external 1 -> 2: deals of version 1 asked for no result encryption");

        Report report = upgraded.apply(List.of(), List.of());
        assertThat(RecordingStep.runs).containsExactly("deal");
        assertThat(outcome(report, "deal").status()).isEqualTo(StepOutcome.Status.DONE);
        assertThat(outcome(report, "deal").message()).isEqualTo(deal.reason());
        assertThat(upgraded.plan(List.of(), List.of()).hasChanges()).isFalse();
    }

    @Test
    void aNewVersionOfAPureTypeRunsItAgainAndWhatFollowsStaysWhenItsOutputIsTheSame() {
        StepSpec[] steps = buildAndDeal("x");
        Engine upgraded = engine(List.of(atVersion(PURE, 2, TypeUpgrade.keep()), EXTERNAL), steps);

        Plan plan = upgraded.plan(List.of(), List.of());
        assertThat(row(plan, "build").action()).isEqualTo(Action.RERUN);
        assertThat(row(plan, "build").reason()).isEqualTo("step type pure 1 -> 2; a pure step runs again under a new version");

        Report report = upgraded.apply(List.of(), List.of());
        assertThat(RecordingStep.runs).containsExactly("build");
        assertThat(outcome(report, "deal").status()).isEqualTo(StepOutcome.Status.UP_TO_DATE);
    }

    @Test
    void aRecordOfANewerTypeVersionIsAnError() {
        StepSpec[] steps = buildAndDeal("x");
        engine(List.of(PURE, atVersion(EXTERNAL, 3, TypeUpgrade.keep())), steps).apply(List.of(), List.of());

        assertThatThrownBy(() -> engine(steps).plan(List.of(), List.of()))
                .hasMessage("the record of deal was written by a newer teeflow (step type external version 3, "
                        + "this teeflow knows 1): upgrade teeflow");
    }

    @Test
    void anIntentRecordedBeforeTheUpgradeIsResumedNotPaidAgain() {
        StepSpec deal = StepSpec.of("deal", "external", Map.of("resumable", true, "crash-after-intent", true));
        assertThat(engine(deal).apply(List.of(), List.of()).succeeded()).isFalse();
        RecordingStep.runs.clear();
        Engine upgraded = engine(List.of(PURE, atVersion(EXTERNAL, 2, TypeUpgrade.keep())), deal)
                .withKeyScheme(CacheKey.SCHEME + 1);

        assertThat(row(upgraded.plan(List.of(), List.of()), "deal").action()).isEqualTo(Action.RESUME);
        assertThat(upgraded.apply(List.of(), List.of()).succeeded()).isTrue();
        assertThat(upgraded.recordedOutputs("deal").values()).containsEntry("value", "resumed 0xabc");
    }
}
