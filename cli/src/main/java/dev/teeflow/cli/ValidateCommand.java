package dev.teeflow.cli;

import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.graph.StepGraph;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "validate", description = "Checks the pipeline file and its graph without touching anything.")
final class ValidateCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    PipelineOptions pipeline;

    ValidateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Pipeline p = pipeline.load(ctx);
        StepGraph.of(p, pipeline.registry());
        ctx.terminal.out.println(ctx.terminal.green("valid") + ": " + p.name() + " (" + p.steps().size() + " steps)");
        return Main.OK;
    }
}
