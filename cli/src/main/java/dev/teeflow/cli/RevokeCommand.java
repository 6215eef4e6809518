package dev.teeflow.cli;

import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.run.RunListener;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "revoke", description = {
        "Takes back now the order a step published: closes it on chain (no deal can use it any more),"
                + " withdraws it from the market and drops the step's record.",
        "Works for an order step still in the file (the next apply publishes it again unless its block says"
                + " revoke: true) and for one removed from the file (which apply would revoke anyway)."})
final class RevokeCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    PipelineOptions pipeline;

    @Parameters(paramLabel = "ADDR", description = "The order step: app.<n>.order, dataset.<n>.order,"
            + " workerpool.<n>.order or order.<name>.publish.")
    String address;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "How long to wait for another run to release the state, e.g. 30s, 5m (default: 0s).")
    Duration lockTimeout = Duration.ZERO;

    @Option(names = "--json", description = "Prints the report as JSON (schema teeflow.report/v1) after the run.")
    boolean json;

    RevokeCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        Pipeline p = pipeline.load(ctx);
        RunListener listener = ctx.github != null ? ctx.github.console(ctx.terminal.out) : new ProgressConsole(ctx.terminal);
        Engine engine = pipeline.engine(ctx, p, listener, 1, lockTimeout);
        Report report = engine.revoke(address, this::announce);
        if (ctx.github != null) {
            ctx.github.applyFinished(engine, report, engine.recordedOutputs());
        }
        PlanPrinter.summary(report, ctx.terminal);
        if (json) {
            ctx.terminal.out.println(PlanPrinter.reportJson(report));
        }
        return report.succeeded() ? Main.OK : Main.FAILED;
    }

    /** What will be taken back, before anything is sent. */
    private void announce(PlannedStep row) {
        Terminal t = ctx.terminal;
        t.out.println(t.yellow(row.action().label()) + " " + row.address() + "  " + t.dim(row.reason()));
        if (row.detail() != null) {
            t.out.println("  " + row.detail());
        }
        t.out.flush();
    }
}
