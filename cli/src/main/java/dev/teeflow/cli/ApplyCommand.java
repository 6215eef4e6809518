package dev.teeflow.cli;

import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.run.RunListener;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apply", description = "Runs every step that is not up to date, in parallel where it can.")
final class ApplyCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--target", paramLabel = "ADDR", description = "Runs only this step and what it needs (repeatable).")
    List<String> targets = new ArrayList<>();

    @Option(names = "--replace", paramLabel = "ADDR", description = "Runs this step again even if up to date (repeatable).")
    List<String> replace = new ArrayList<>();

    @Option(names = "--parallelism", paramLabel = "N", description = "How many steps may run at once (default: ${DEFAULT-VALUE}).")
    int parallelism = 4;

    @Option(names = "--serial", description = "One step at a time (same as --parallelism 1).")
    boolean serial;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "How long to wait for another run to release the state, e.g. 30s, 5m (default: 0s).")
    Duration lockTimeout = Duration.ZERO;

    @Option(names = "--json", description = "Prints the final report as JSON (schema teeflow.report/v1) after the run.")
    boolean json;

    @picocli.CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "PLAN_FILE",
            description = "A plan saved by 'teeflow plan --saved FILE': applies exactly it, and refuses (sending nothing)"
                    + " when the pipeline file, a parameter, an input, an upstream output, the state or a price changed since.")
    java.nio.file.Path savedPlan;

    @Option(names = "--max-spend", paramLabel = "RLC", converter = MaxSpend.Rlc.class,
            description = "The most RLC this apply may pay for deals (over the file's budget.rlc); apply refuses before"
                    + " sending anything when the plan's forecast is over it, and each deal re-checks its real price.")
    BigInteger maxSpend;

    ApplyCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        Pipeline p = pipeline.load(ctx);
        if (maxSpend != null) {
            p = MaxSpend.apply(p, maxSpend);
        }
        RunListener listener = ctx.github != null ? ctx.github.console(ctx.terminal.out) : new ProgressConsole(ctx.terminal);
        Engine engine = pipeline.engine(ctx, p, listener, serial ? 1 : Math.max(1, parallelism), lockTimeout);
        dev.teeflow.engine.plan.Plan planned = null;
        if (savedPlan != null) {
            var saved = SavedPlan.read(savedPlan);
            if (!targets.isEmpty() || !replace.isEmpty()) {
                throw new dev.teeflow.engine.TeeflowException("--target and --replace belong to 'teeflow plan --saved';"
                        + " 'teeflow apply " + savedPlan + "' applies the plan's own");
            }
            targets = SavedPlan.list(saved, "targets");
            replace = SavedPlan.list(saved, "replace");
            planned = engine.plan(targets, replace);
            Optional<String> moved = SavedPlan.moved(saved, planned, p, pipeline.params);
            if (moved.isPresent()) {
                ctx.terminal.err.println("error: nothing was sent: the saved plan " + savedPlan + " no longer holds: "
                        + moved.get() + "; make a new plan (teeflow plan --saved " + savedPlan + ")");
                return Main.FAILED;
            }
            ctx.terminal.out.println("The saved plan " + savedPlan + " still holds; applying it.");
        }
        SpendingCheck spending = SpendingCheck.of(p);
        if (spending.any()) {
            // the forecast first: over budget, nothing is sent at all
            Optional<String> refusal = spending.refusal(CostForecast.of(planned != null ? planned : engine.plan(targets, replace)));
            if (refusal.isPresent()) {
                ctx.terminal.err.println("error: " + refusal.get());
                return Main.FAILED;
            }
        }
        Report report = engine.apply(targets, replace);
        var recorded = engine.recordedOutputs(); // one read of the state for all that follows
        if (ctx.github != null) {
            ctx.github.applyFinished(engine, report, recorded);
        }
        PlanPrinter.summary(report, ctx.terminal);
        ResultPrinter.print(recorded, report, ctx.terminal);
        if (json) {
            ctx.terminal.out.println(PlanPrinter.reportJson(report, recorded));
        }
        return report.succeeded() ? Main.OK : Main.FAILED;
    }
}
