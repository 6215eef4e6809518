package dev.teeflow.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.engine.state.StateLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step that dies of a JVM error (a zip bomb's OutOfMemoryError, a runaway recursion) must end the run with
 * its summary and release the lock. It used to leave the scheduler waiting for it for ever (the timeout only
 * turns that hang into a failure; it measures nothing).
 */
class StepErrorsTest {
    @TempDir
    Path project;

    private static volatile java.util.concurrent.CountDownLatch bothRunning = new java.util.concurrent.CountDownLatch(0);

    /** A step type whose run throws what its {@code throw} input names. */
    private static final class ThrowingStep implements StepType {
        @Override
        public String id() {
            return "throwing";
        }

        @Override
        public Effect effect() {
            return Effect.PURE;
        }

        @Override
        public Set<String> outputNames(StepSpec spec) {
            return Set.of("value");
        }

        @Override
        public Outputs run(StepContext ctx) throws InterruptedException {
            if (ctx.inputs().bool("meet", false)) {
                // both failing steps must be running before either fails, or fail-fast leaves the later one not run
                bothRunning.countDown();
                bothRunning.await(30, TimeUnit.SECONDS);
            }
            switch (ctx.inputs().string("throw", "")) {
                case "oom" -> throw new OutOfMemoryError("Java heap space");
                case "stack" -> throw new StackOverflowError();
                case "error" -> throw new Error("a library gave up");
                default -> {
                    return Outputs.builder().put("value", "ok").build();
                }
            }
        }
    }

    private Engine engine(StepSpec... steps) {
        Map<String, StepSpec> map = new LinkedHashMap<>();
        for (StepSpec s : steps) {
            map.put(s.address(), s);
        }
        EngineOptions options = EngineOptions.defaults(project.resolve(".teeflow")).withParallelism(2);
        return Engine.open(new Pipeline("test", null, project, map), Registry.of(List.of(new ThrowingStep()), List.of()), options);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anOutOfMemoryStepFailsStopsTheRunAndReleasesTheLock() {
        Engine e = engine(StepSpec.of("bomb", "throwing", Map.of("throw", "oom")));
        Report report = e.apply(List.of(), List.of());

        StepOutcome bomb = report.outcomes().get(0);
        assertThat(bomb.status()).isEqualTo(StepOutcome.Status.FAILED);
        assertThat(bomb.message()).contains("ran out of memory").doesNotContain("OutOfMemoryError");
        try (StateLock again = StateLock.acquire(project.resolve(".teeflow/lock"), "apply", Duration.ZERO)) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anyErrorFailsItsStepAndTheSummaryNamesEveryStep() {
        bothRunning = new java.util.concurrent.CountDownLatch(2);
        Engine e = engine(StepSpec.of("deep", "throwing", Map.of("throw", "stack", "meet", true)),
                StepSpec.of("odd", "throwing", Map.of("throw", "error", "meet", true)),
                StepSpec.of("fine", "throwing", Map.of()));
        Report report = e.apply(List.of(), List.of());

        assertThat(report.outcomes()).extracting(StepOutcome::address).containsExactly("deep", "odd", "fine");
        assertThat(report.outcomes().get(0).status()).isEqualTo(StepOutcome.Status.FAILED);
        assertThat(report.outcomes().get(0).message()).contains("ran out of stack");
        assertThat(report.outcomes().get(1).status()).isEqualTo(StepOutcome.Status.FAILED);
        assertThat(report.outcomes().get(1).message()).contains("a library gave up");
        assertThat(report.succeeded()).isFalse();
    }
}
