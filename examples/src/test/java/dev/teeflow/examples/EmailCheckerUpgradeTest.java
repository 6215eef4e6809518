package dev.teeflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.dsl.PipelineLoader;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.run.CacheKey;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.EngineOptions;
import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.run.StepOutcome;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.spi.TypeUpgrade;
import dev.teeflow.engine.state.StateStore;
import dev.teeflow.engine.state.StepRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State written by the previous release (record schema 1, key scheme 1): examples/email-checker applied
 * on a devnet, kept in src/test/resources/upgrade/email-checker-schema-1 (its README says how it was
 * made). Today's teeflow, and one with a new key scheme or a new run.deal, must plan nothing to do on it
 * while the world it recorded still holds: an upgrade never pays, deploys or pushes again by itself.
 */
class EmailCheckerUpgradeTest {
    /** The devnet's git host when the state was made: it is part of the recorded inputs. */
    private static final String GIT_HOST = "http://127.0.0.1:13642";

    @TempDir
    Path work;

    private Path project;
    private Map<String, String> env;

    @BeforeEach
    void copyTheOldState() throws Exception {
        Path fixture = Path.of(getClass().getResource("/upgrade/email-checker-schema-1/README.md").toURI()).getParent();
        ExampleRuns.copyTree(fixture.resolve("home"), work.resolve("home"));
        project = work.resolve("email-checker");
        ExampleRuns.copyTree(fixture.resolve("project"), project);
        // Kept without their leading dot so that no ignore rule or resource copy drops them.
        Files.move(project.resolve("dockerignore"), project.resolve(".dockerignore"));
        Files.move(project.resolve("teeflow-state"), project.resolve(".teeflow"));
        env = Map.of("TEEFLOW_HOME", work.resolve("home").toString(), "TEEFLOW_GIT_HOST", GIT_HOST,
                "MY_EMAIL", "alice@example.org", "HOME", work.toString());
    }

    private Engine engine(Registry registry) {
        var pipeline = new PipelineLoader().load(project.resolve("teeflow.yml"), Map.of(), env, registry);
        return Engine.open(pipeline, registry, EngineOptions.defaults(project.resolve(".teeflow")).withEnv(dev.teeflow.engine.testing.BuildHome.with(env)));
    }

    private static String reasons(Plan plan) {
        StringBuilder sb = new StringBuilder();
        plan.steps().forEach(s -> sb.append(s.action().label()).append(' ').append(s.address()).append(": ")
                .append(s.reason()).append('\n'));
        return sb.toString();
    }

    @Test
    void theLastReleasesStatePlansNothingToDo() {
        Plan plan = engine(WorldUnchanged.registry()).plan(List.of(), List.of());

        assertThat(plan.steps()).hasSize(14);
        assertThat(plan.hasChanges()).as(reasons(plan)).isFalse();
        assertThat(plan.steps()).extracting(PlannedStep::reason).containsOnly("inputs unchanged, outputs still hold");
    }

    @Test
    void aNewKeySchemePlansNothingToDoAndApplyOnlyRekeysTheRecords() {
        int next = CacheKey.SCHEME + 1;
        Engine upgraded = engine(WorldUnchanged.registry()).withKeyScheme(next);

        Plan plan = upgraded.plan(List.of(), List.of());
        assertThat(plan.hasChanges()).as(reasons(plan)).isFalse();
        assertThat(plan.steps()).extracting(PlannedStep::reason).containsOnly(
                "teeflow upgraded: key scheme " + CacheKey.SCHEME + " -> " + next + "; inputs unchanged, outputs still hold");

        Report report = upgraded.apply(List.of(), List.of());
        assertThat(report.count(StepOutcome.Status.UP_TO_DATE)).as(report.toString()).isEqualTo(14);
        StepRecord deal = new StateStore(project.resolve(".teeflow")).read("run.check.deal").record();
        assertThat(deal.schema()).isEqualTo(StepRecord.SCHEMA);
        assertThat(deal.keyScheme()).isEqualTo(next);
        assertThat(deal.outputs()).containsEntry("deal-id",
                "0x99e07f1cfcc567b04469692af1c052ad71f9a487419e5c9a17843bd4ccf29d3e");
        assertThat(upgraded.plan(List.of(), List.of()).steps()).extracting(PlannedStep::reason)
                .containsOnly("inputs unchanged, outputs still hold");
    }

    @Test
    void aNewRunDealVersionKeepsTheDealUnlessItDeclaresARedo() {
        Plan kept = engine(WorldUnchanged.registry(Map.of("run.deal", Map.entry(2, TypeUpgrade.keep()))))
                .plan(List.of(), List.of());
        assertThat(kept.hasChanges()).as(reasons(kept)).isFalse();
        assertThat(kept.steps()).filteredOn(s -> s.address().equals("run.check.deal")).extracting(PlannedStep::reason)
                .containsExactly("step type run.deal 1 -> 2; inputs unchanged, outputs still hold");

        Plan redone = engine(WorldUnchanged.registry(Map.of("run.deal",
                Map.entry(2, TypeUpgrade.redo("deals of version 1 named no workerpool tag"))))).plan(List.of(), List.of());
        PlannedStep deal = redone.steps().stream().filter(s -> s.address().equals("run.check.deal")).findFirst().orElseThrow();
        assertThat(deal.action()).isEqualTo(Action.REPLACE);
        assertThat(deal.reason()).isEqualTo("step type run.deal 1 -> 2: deals of version 1 named no workerpool tag");
        assertThat(redone.steps()).filteredOn(s -> s.action().willRun()).extracting(PlannedStep::address)
                .containsExactly("run.check.deal", "run.check.wait", "run.check.fetch");
    }
}
