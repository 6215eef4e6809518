package dev.teeflow.cli;

import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import java.util.Set;

/** Test-only step type {@code test.result}: outputs its {@code text} input as {@code result-text}. */
public final class ResultTextStep implements StepType {
    @Override
    public String id() {
        return "test.result";
    }

    @Override
    public Effect effect() {
        return Effect.PURE;
    }

    @Override
    public Set<String> outputNames(StepSpec spec) {
        return Set.of(ResultPrinter.OUTPUT);
    }

    @Override
    public Outputs run(StepContext context) {
        return Outputs.builder().put(ResultPrinter.OUTPUT, context.inputs().string("text")).build();
    }
}
