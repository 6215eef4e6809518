package dev.teeflow.cli;

import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.RunListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan", description = "Shows what apply would do for each step, and why.")
final class PlanCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--json", description = "Prints the plan as JSON (schema teeflow.plan/v3, with the cost: RLC and gas).")
    boolean json;

    @Option(names = "--target", paramLabel = "ADDR", description = "Plans only this step and what it needs (repeatable).")
    List<String> targets = new ArrayList<>();

    @Option(names = "--replace", paramLabel = "ADDR", description = "Plans this step to run again even if up to date (repeatable).")
    List<String> replace = new ArrayList<>();

    @Option(names = "--saved", paramLabel = "FILE",
            description = "Also writes the plan to FILE (digests and prices, no secret), for 'teeflow apply FILE' to apply"
                    + " exactly this plan, or refuse if the world moved.")
    java.nio.file.Path saved;

    @Option(names = "--detailed-exitcode", description = "Exit 0 when nothing is to do, 2 when changes are pending, 1 on error.")
    boolean detailedExitCode;

    PlanCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        Pipeline p = pipeline.load(ctx);
        Engine engine = pipeline.engine(ctx, p, RunListener.NONE, 1, Duration.ZERO);
        Plan plan = engine.plan(targets, replace);
        if (json) {
            ctx.terminal.out.println(PlanPrinter.json(plan));
        } else {
            PlanPrinter.table(plan, ctx.terminal);
        }
        if (ctx.github != null) {
            ctx.github.planFinished(plan, GraphRenderer.mermaid(plan));
        }
        if (saved != null) {
            SavedPlan.write(saved, plan, p, pipeline.params, targets, replace, ctx.redactor);
            ctx.terminal.err.println("Saved this plan to " + saved + "; apply exactly it with: teeflow apply " + saved);
        }
        var unknown = plan.steps().stream()
                .filter(s -> s.action() == Action.BLOCKED && s.reason() != null && s.reason().startsWith("unknown: ")).toList();
        if (!unknown.isEmpty()) {
            // What could not be checked (the devnet is down, the SMS does not answer) is an error, not a plan.
            unknown.forEach(s -> ctx.terminal.err.println("error: " + s.address() + ": " + s.reason()));
            return Main.FAILED;
        }
        if (plan.count(Action.BLOCKED) > 0 && detailedExitCode) {
            return Main.FAILED;
        }
        return detailedExitCode && plan.hasChanges() ? 2 : Main.OK;
    }
}
