package dev.teeflow.cli;

import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.run.AdoptionReport;
import dev.teeflow.engine.run.AdoptionReport.Outcome;
import dev.teeflow.engine.run.Engine;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "import", description = {
        "Adopts into the state what is already out there, made by the iExec CLI or by hand: the app and dataset at "
                + "their deployed addresses (checked on chain: owner, multiaddr, checksum, mrenclave; and against "
                + "deployed.json), the dataset's ciphertext and key (checked: the key decrypts datasets/encrypted/<file>.enc "
                + "into the dataset file), and write-once secrets the SMS already holds. The next apply then deploys and "
                + "pushes none of them again.",
        "Sends no transaction and pushes nothing. Each step is adopted whole or not at all; what is not adopted is "
                + "listed with the reason. Exit 1 when something out there differs from the pipeline."})
final class ImportCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "How long to wait for another run to release the state, e.g. 30s, 5m (default: 0s).")
    Duration lockTimeout = Duration.ZERO;

    ImportCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        Pipeline p = pipeline.load(ctx);
        Engine engine = pipeline.engine(ctx, p, new ProgressConsole(ctx.terminal), 1, lockTimeout);
        AdoptionReport report = engine.adopt();
        Terminal t = ctx.terminal;
        for (AdoptionReport.Row row : report.rows()) {
            String label = switch (row.outcome()) {
                case ADOPTED -> t.green("adopted    ");
                case UP_TO_DATE -> t.green("up-to-date ");
                case LEFT_TO_APPLY -> t.yellow("left       ");
                case REFUSED -> t.red("refused    ");
            };
            t.out.println("  " + label + " " + row.address() + (row.outcome() == Outcome.ADOPTED ? "" : "  " + row.reason()));
        }
        t.out.println();
        t.out.println("Import: " + report.count(Outcome.ADOPTED) + " adopted, " + report.count(Outcome.UP_TO_DATE)
                + " up-to-date, " + report.count(Outcome.LEFT_TO_APPLY) + " left to apply, " + report.count(Outcome.REFUSED)
                + " refused.");
        if (report.refusedAny()) {
            t.err.println("error: nothing was recorded for the refused steps; fix what their lines name, then run"
                    + " 'teeflow import' again (apply would deploy or push them anew)");
            return Main.FAILED;
        }
        t.out.println("Next: 'teeflow plan' shows what apply still does.");
        return Main.OK;
    }
}
