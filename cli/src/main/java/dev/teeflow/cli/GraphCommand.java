package dev.teeflow.cli;

import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.RunListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "graph", description = "Prints the plan as a graph (Mermaid or DOT), each step with its planned action.")
final class GraphCommand implements Callable<Integer> {
    enum Format { mermaid, dot }

    private final CliContext ctx;

    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--format", description = "mermaid or dot (default: ${DEFAULT-VALUE}).")
    Format format = Format.mermaid;

    GraphCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Pipeline p = pipeline.load(ctx);
        Engine engine = pipeline.engine(ctx, p, RunListener.NONE, 1, Duration.ZERO);
        Plan plan = engine.plan(List.of(), List.of());
        ctx.terminal.out.print(format == Format.dot ? GraphRenderer.dot(plan) : GraphRenderer.mermaid(plan));
        return Main.OK;
    }
}
