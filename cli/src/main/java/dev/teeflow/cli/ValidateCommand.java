package dev.teeflow.cli;

import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.config.InvalidPipelineException;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.graph.StepGraph;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "validate", description = "Checks the pipeline file, its graph and the paths its steps name, without running anything or reading outside the project.")
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
        StepGraph graph = StepGraph.of(p, pipeline.registry());
        List<Diagnostic> pathProblems = StaticPathCheck.problems(p, graph);
        if (!pathProblems.isEmpty()) {
            throw new InvalidPipelineException(pathProblems);
        }
        ctx.terminal.out.println(ctx.terminal.green("valid") + ": " + p.name() + " (" + p.steps().size() + " steps)");
        return Main.OK;
    }
}
