package dev.teeflow.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.run.AdoptionReport.Outcome;
import dev.teeflow.engine.spi.Adoptable;
import dev.teeflow.engine.spi.NothingToAdoptException;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.engine.state.LockedException;
import dev.teeflow.engine.state.MemoryStateBackend;
import dev.teeflow.engine.state.StateEncryption;
import dev.teeflow.engine.state.StateLease;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Engine.adopt} ({@code teeflow import}) through a remote state backend: what a step type adopts is
 * recorded with the key apply would compute (so the plan finds it up to date and apply never runs it), a step
 * after one that was not adopted is left to apply, a refused step leaves nothing behind (not even the secret it
 * kept first), and the state's lock is held.
 */
class AdoptionTest {
    static final List<String> runs = new CopyOnWriteArrayList<>();

    /** Adopts {@code value}: "absent" is not out there, "differs" is refused after keeping a secret. */
    static final class Deployed implements StepType, Adoptable {
        @Override
        public String id() {
            return "deployed";
        }

        @Override
        public Effect effect() {
            return Effect.EXTERNAL;
        }

        @Override
        public Set<String> outputNames(StepSpec spec) {
            return Set.of("value");
        }

        @Override
        public Outputs adopt(StepContext ctx) {
            String v = ctx.inputs().string("value");
            if (v.equals("absent")) {
                throw new NothingToAdoptException("not out there yet: apply makes it");
            }
            if (v.equals("differs")) {
                ctx.storeSecret("key", "kept-before-the-check".getBytes(StandardCharsets.UTF_8));
                throw new TeeflowException(ctx.address() + ": what is out there has another checksum");
            }
            return Outputs.of(Map.of("value", v));
        }

        @Override
        public Outputs run(StepContext ctx) {
            runs.add(ctx.address());
            return Outputs.of(Map.of("value", ctx.inputs().string("value")));
        }
    }

    @TempDir
    Path project;
    final MemoryStateBackend backend = new MemoryStateBackend();

    @BeforeEach
    void reset() {
        runs.clear();
    }

    private Engine engine() {
        Map<String, StepSpec> steps = new LinkedHashMap<>();
        steps.put("app", StepSpec.of("app", "deployed", Map.of("value", "0xapp")));
        steps.put("order", StepSpec.of("order", "deployed", Map.of("value", new Ref("app", "value"))));
        steps.put("secret", StepSpec.of("secret", "deployed", Map.of("value", "absent")));
        steps.put("deal", StepSpec.of("deal", "deployed", Map.of("value", new Ref("secret", "value"))));
        steps.put("dataset", StepSpec.of("dataset", "deployed", Map.of("value", "differs")));
        EngineOptions options = EngineOptions.defaults(project.resolve(".teeflow")).withEnv(Map.of())
                .withStateBackend(backend).withStateEncryption(new StateEncryption("pw".toCharArray(), 1000));
        return Engine.open(new Pipeline("test", null, project, steps), Registry.of(List.of(new Deployed()), List.of()), options);
    }

    @Test
    void adoptedStepsAreUpToDateAndApplyDoesOnlyTheRest() {
        AdoptionReport report = engine().adopt();
        Map<String, Outcome> outcomes = report.rows().stream()
                .collect(Collectors.toMap(AdoptionReport.Row::address, AdoptionReport.Row::outcome));
        assertThat(outcomes).containsEntry("app", Outcome.ADOPTED).containsEntry("order", Outcome.ADOPTED)
                .containsEntry("secret", Outcome.LEFT_TO_APPLY).containsEntry("deal", Outcome.LEFT_TO_APPLY)
                .containsEntry("dataset", Outcome.REFUSED);
        assertThat(report.rows()).filteredOn(r -> r.address().equals("deal")).singleElement()
                .extracting(AdoptionReport.Row::reason).isEqualTo("runs on apply after secret");
        assertThat(report.rows()).filteredOn(r -> r.address().equals("dataset")).singleElement()
                .extracting(AdoptionReport.Row::reason).asString().contains("another checksum");
        assertThat(runs).as("adopting runs nothing").isEmpty();

        assertThat(backend.rawBlobs().keySet()).as("a refused step keeps nothing, not even what it kept first")
                .noneMatch(k -> k.contains("dataset"));

        Plan plan = engine().plan(List.of(), List.of());
        Map<String, Action> actions = plan.steps().stream()
                .collect(Collectors.toMap(dev.teeflow.engine.plan.PlannedStep::address, dev.teeflow.engine.plan.PlannedStep::action));
        assertThat(actions).containsEntry("app", Action.UP_TO_DATE).containsEntry("order", Action.UP_TO_DATE)
                .containsEntry("secret", Action.CREATE).containsEntry("dataset", Action.CREATE);
        engine().apply(List.of(), List.of());
        assertThat(runs).containsExactlyInAnyOrder("secret", "deal", "dataset");
    }

    @Test
    void aSecondImportFindsTheAdoptedStepsUpToDate() {
        engine().adopt();
        AdoptionReport again = engine().adopt();
        assertThat(again.rows()).filteredOn(r -> r.address().equals("app")).singleElement()
                .extracting(AdoptionReport.Row::outcome).isEqualTo(Outcome.UP_TO_DATE);
    }

    @Test
    void importHoldsTheStateLock() {
        try (StateLease held = StateLease.acquire(backend, "apply", Map.of(), Duration.ZERO, StateLease.DEFAULT_LEASE)) {
            assertThatThrownBy(() -> engine().adopt()).isInstanceOf(LockedException.class).hasMessageContaining("locked");
        }
        assertThat(backend.rawBlobs().keySet()).noneMatch(k -> k.startsWith("state/"));
    }
}
