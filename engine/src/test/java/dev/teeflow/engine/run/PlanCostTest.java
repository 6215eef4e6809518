package dev.teeflow.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.PendingInput;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepCost;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.engine.testing.RecordingStep;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan carries each step type's typed cost forecast and the fingerprint a saved plan is checked with. */
class PlanCostTest {
    @TempDir
    Path project;

    /** Pays its {@code price} input; with inputs pending, a bound of 100 naming them. */
    static final class Priced implements StepType {
        @Override
        public String id() {
            return "priced";
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
        public StepCost cost(StepContext ctx, Map<String, PendingInput> pending) {
            if (ctx.inputs().bool("broken", false)) {
                throw new TeeflowException("the market does not answer");
            }
            if (!pending.isEmpty()) {
                return StepCost.of(StepCost.Amount.bound(BigInteger.valueOf(100), "waits for " + pending
                        + " (" + pending.values().iterator().next().stepType() + "); plain=" + ctx.inputs().string("plain", "?")),
                        List.of());
            }
            return StepCost.of(StepCost.Amount.estimate(new BigInteger(ctx.inputs().string("price")), "now"), List.of());
        }

        @Override
        public Outputs run(StepContext ctx) {
            return Outputs.builder().put("value", "v").build();
        }
    }

    private Engine engine(StepSpec... steps) {
        Map<String, StepSpec> map = new LinkedHashMap<>();
        for (StepSpec s : steps) {
            map.put(s.address(), s);
        }
        Registry registry = Registry.of(List.of(new RecordingStep("pure", Effect.PURE), new Priced()), List.of());
        return Engine.open(new Pipeline("test", null, project, map), registry,
                EngineOptions.defaults(project.resolve(".teeflow")));
    }

    private static PlannedStep row(Plan plan, String address) {
        return plan.steps().stream().filter(s -> s.address().equals(address)).findFirst().orElseThrow();
    }

    @Test
    void aStepWaitingOnUpstreamStepsGetsItsCostFromItsTypeWithThePendingInputsNamedNeverZero() {
        Engine e = engine(StepSpec.of("a", "pure", Map.of("value", "1")),
                StepSpec.of("b", "priced", Map.of("price", "7", "other", new Ref("a", "value"), "plain", "x")),
                StepSpec.of("c", "priced", Map.of("price", "5")),
                StepSpec.of("d", "priced", Map.of("price", "5", "broken", true)));
        Plan plan = e.plan(List.of(), List.of());
        StepCost b = row(plan, "b").cost();
        assertThat(b.payment().kind()).isEqualTo(StepCost.Kind.BOUND);
        assertThat(b.payment().value()).isEqualTo(BigInteger.valueOf(100));
        assertThat(b.payment().note()).isEqualTo("waits for {other=a.value} (pure); plain=x");
        assertThat(row(plan, "c").cost().payment()).isEqualTo(StepCost.Amount.estimate(BigInteger.valueOf(5), "now"));
        assertThat(row(plan, "d").cost().payment().kind()).isEqualTo(StepCost.Kind.UNKNOWN);
        assertThat(row(plan, "d").cost().payment().note()).isEqualTo("the market does not answer");
        assertThat(row(plan, "a").cost()).isNull(); // a type without a forecast costs nothing

        assertThat(e.apply(List.of(), List.of()).succeeded()).isTrue();
        Plan after = e.plan(List.of(), List.of());
        assertThat(row(after, "b").cost()).as("up to date: nothing to pay").isNull();
    }

    @Test
    void theFingerprintsStayWhileNothingMovesAndNameWhatMoved() {
        Engine e = engine(StepSpec.of("a", "pure", Map.of("value", "1")),
                StepSpec.of("b", "priced", Map.of("price", "7", "other", new Ref("a", "value"))));
        Plan first = e.plan(List.of(), List.of());
        assertThat(e.plan(List.of(), List.of()).steps()).extracting(PlannedStep::fingerprint)
                .isEqualTo(first.steps().stream().map(PlannedStep::fingerprint).toList());
        assertThat(row(first, "b").fingerprint().upstream()).isEqualTo("pending");
        assertThat(row(first, "a").fingerprint().state()).isEqualTo("none");

        Engine changed = engine(StepSpec.of("a", "pure", Map.of("value", "2")),
                StepSpec.of("b", "priced", Map.of("price", "7", "other", new Ref("a", "value"))));
        Plan second = changed.plan(List.of(), List.of());
        assertThat(row(second, "a").fingerprint().inputs()).isNotEqualTo(row(first, "a").fingerprint().inputs());
        assertThat(row(second, "b").fingerprint()).isEqualTo(row(first, "b").fingerprint());

        assertThat(e.apply(List.of(), List.of()).succeeded()).isTrue();
        Plan applied = e.plan(List.of(), List.of());
        assertThat(row(applied, "a").fingerprint().state()).isNotEqualTo("none");
        assertThat(row(applied, "b").fingerprint().upstream()).isNotEqualTo("pending");
    }
}
