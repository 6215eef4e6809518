package dev.teeflow.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A step reads its configuration from the environment the engine was given, not from the process's. */
class StepEnvironmentTest {
    @TempDir
    Path project;

    private static final java.util.concurrent.atomic.AtomicReference<String> SEEN = new java.util.concurrent.atomic.AtomicReference<>();

    /** Remembers the TEEFLOW_HOME its context gives it. */
    private static final class HomeStep implements StepType {
        @Override
        public String id() {
            return "home";
        }

        @Override
        public Effect effect() {
            return Effect.PURE;
        }

        @Override
        public Set<String> outputNames(StepSpec spec) {
            return Set.of("home");
        }

        @Override
        public Outputs run(StepContext ctx) {
            SEEN.set(ctx.environment().get("TEEFLOW_HOME"));
            return Outputs.builder().put("home", "seen").build();
        }
    }

    @Test
    void theEngineGivesStepsTheEnvironmentItWasGiven() {
        Map<String, StepSpec> steps = new LinkedHashMap<>();
        steps.put("h", StepSpec.of("h", "home", Map.of()));
        EngineOptions options = EngineOptions.defaults(project.resolve(".teeflow"))
                .withEnv(Map.of("TEEFLOW_HOME", "/somewhere/else"));
        Report report = Engine.open(new Pipeline("test", null, project, steps), Registry.of(List.of(new HomeStep()), List.of()),
                options).apply(List.of(), List.of());
        assertThat(report.succeeded()).isTrue();
        assertThat(SEEN.get()).isEqualTo("/somewhere/else");
    }
}
