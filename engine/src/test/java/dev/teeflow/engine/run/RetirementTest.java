package dev.teeflow.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.spi.Retirable;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.engine.testing.RecordingStep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records of steps the file no longer declares: revoked when their type takes something back, else left alone. */
class RetirementTest {
    static final List<String> retired = new CopyOnWriteArrayList<>();
    static volatile boolean failRetire;

    @TempDir
    Path project;

    /** Grants something; records how to take it back, with a secret reference that must come back resolved. */
    static final class Grant implements StepType, Retirable {
        @Override
        public String id() {
            return "grant";
        }

        @Override
        public Effect effect() {
            return Effect.EXTERNAL;
        }

        @Override
        public Set<String> outputNames(StepSpec spec) {
            return Set.of("granted", RETIRE_WITH);
        }

        @Override
        public Outputs run(StepContext ctx) {
            return Outputs.of(Map.of("granted", ctx.inputs().string("to"),
                    RETIRE_WITH, Map.of("wallet", Map.of("password", ctx.inputs().secret("password").source()))));
        }

        @Override
        public String retirePreview(Outputs recorded) {
            return "will take back what was granted to " + recorded.string("granted").orElse("?");
        }

        @Override
        public void retire(StepContext ctx) {
            if (failRetire) {
                throw new TeeflowException("the chain is unreachable");
            }
            retired.add(ctx.address() + " " + ctx.previousOutputs().orElseThrow().string("granted").orElse("")
                    + " " + ctx.inputs().child("wallet").secret("password").text());
        }
    }

    private Engine engine(StepSpec... steps) {
        Map<String, StepSpec> map = new LinkedHashMap<>();
        for (StepSpec s : steps) {
            map.put(s.address(), s);
        }
        Registry registry = Registry.of(List.of(new Grant(), new RecordingStep("pure", Effect.PURE)), List.of());
        return Engine.open(new Pipeline("test", null, project, map), registry,
                EngineOptions.defaults(project.resolve(".teeflow")).withEnv(Map.of("PW", "s3cret-password")));
    }

    private static StepSpec grant(String address, String to) {
        return StepSpec.of(address, "grant", Map.of("to", to, "password", SecretRef.env("PW")));
    }

    @Test
    void aRemovedStepOfARetirableTypePlansAsRevokeAndApplyTakesItBackAndDropsItsRecord() {
        retired.clear();
        failRetire = false;
        assertThat(engine(grant("a", "alice"), grant("b", "bob"), StepSpec.of("p", "pure", Map.of("value", "1")))
                .apply(List.of(), List.of()).succeeded()).isTrue();
        Engine without = engine(grant("a", "alice"));

        Plan plan = without.plan(List.of(), List.of());
        assertThat(plan.steps()).extracting(s -> s.address() + " " + s.action().label())
                .containsExactly("b revoke", "a up-to-date"); // first, as apply does; p (pure, not retirable) is left alone
        PlannedStep b = plan.steps().get(0);
        assertThat(b.reason()).isEqualTo("no longer in the pipeline file");
        assertThat(b.detail()).isEqualTo("will take back what was granted to bob");
        assertThat(plan.hasChanges()).isTrue();
        assertThat(retired).isEmpty();

        Report report = without.apply(List.of(), List.of());

        assertThat(report.succeeded()).isTrue();
        assertThat(retired).containsExactly("b bob s3cret-password");
        assertThat(without.recordedOutputs("b")).isNull();
        assertThat(without.recordedOutputs("p")).isNotNull();
        assertThat(without.plan(List.of(), List.of()).hasChanges()).isFalse();
    }

    @Test
    void aFailedRetirementKeepsTheRecordSoTheNextApplyTriesAgain() {
        retired.clear();
        failRetire = false;
        assertThat(engine(grant("a", "alice"), grant("b", "bob")).apply(List.of(), List.of()).succeeded()).isTrue();
        failRetire = true;
        Engine without = engine(grant("a", "alice"));

        Report report = without.apply(List.of(), List.of());

        assertThat(report.succeeded()).isFalse();
        assertThat(report.outcomes().get(0).message()).isEqualTo("cannot revoke: the chain is unreachable");
        assertThat(without.recordedOutputs("b")).isNotNull();
        failRetire = false;
        assertThat(without.apply(List.of(), List.of()).succeeded()).isTrue();
        assertThat(retired).containsExactly("b bob s3cret-password");
    }

    @Test
    void revokeByAddressWorksForAStepStillInTheFileAndRefusesWhatCannotBeRevoked() {
        retired.clear();
        failRetire = false;
        Engine e = engine(grant("a", "alice"), StepSpec.of("p", "pure", Map.of("value", "1")));
        assertThat(e.apply(List.of(), List.of()).succeeded()).isTrue();
        List<PlannedStep> told = new ArrayList<>();

        assertThat(e.revoke("a", told::add).succeeded()).isTrue();

        assertThat(told).singleElement().matches(s -> s.action() == Action.REVOKE && s.reason().equals("revoked by hand"));
        assertThat(retired).containsExactly("a alice s3cret-password");
        assertThat(e.plan(List.of(), List.of()).steps().get(0).action()).isEqualTo(Action.CREATE);
        assertThatThrownBy(() -> e.revoke("p")).hasMessageContaining("only published orders can be");
        assertThatThrownBy(() -> e.revoke("nope")).hasMessageContaining("no step of that address has a record");
    }
}
