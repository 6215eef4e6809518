package dev.teeflow.cli;

import dev.teeflow.actions.chain.ChainConfig;
import dev.teeflow.actions.chain.ChainResolver;
import dev.teeflow.protocol.home.TeeflowHome;
import dev.teeflow.actions.chain.Wallet;
import dev.teeflow.actions.chain.Wallets;
import dev.teeflow.actions.run.DealStep;
import dev.teeflow.actions.run.TaskLogs;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.state.OutputCodec;
import dev.teeflow.engine.state.StateStore;
import dev.teeflow.engine.state.StepRecord;
import dev.teeflow.protocol.workerpool.ComputeLogs;
import dev.teeflow.protocol.workerpool.TaskView;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "logs", usageHelpAutoWidth = true, description = {
        "Shows what the app printed (stdout and stderr) in each task of a run, with the workerpool's statuses.",
        "Reads the target's workerpool API, found through the chain's Compass as 'iexec task debug --logs' does,"
                + " and signs its challenge with the pipeline's wallet: only the requester sees the logs."
                + " Every secret the pipeline knows is masked."})
final class LogsCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    PipelineOptions pipeline;

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help.")
    boolean help;

    @picocli.CommandLine.Option(names = "--workerpool-api", paramLabel = "URL",
            description = "The workerpool's API, for a chain without Compass (Bellecour) or to bypass it.")
    URI workerpoolApi;

    @Parameters(paramLabel = "RUN|TASK",
            description = "A run (run.check, or check) whose deal was made by apply, or a task id (0x + 64 hex digits) of one of its deals.")
    String what;

    LogsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** A deal step of the pipeline with the tasks its record names. */
    private record Deal(StepSpec spec, String dealId, String workerpool, List<String> taskIds) {
    }

    @Override
    public Integer call() {
        Pipeline p = pipeline.load(ctx);
        StateStore store = pipeline.stateStore(ctx, p);
        PipelineSecrets secrets = new PipelineSecrets(p, ctx, store);
        secrets.registerAll();
        List<Deal> deals = selectDeals(p, store);
        ChainResolver chains = new ChainResolver(TeeflowHome.of(ctx.env));
        boolean complete = true;
        for (Deal deal : deals) {
            Inputs in = secrets.chainAndWallet(deal.spec());
            ChainConfig chain = chains.chain(in.child("chain"), p.projectDir());
            Wallet wallet = Wallets.load(in.child("wallet"), chains, ctx.redactor);
            URI api = workerpoolApi != null ? workerpoolApi : TaskLogs.workerpoolApi(chain, deal.workerpool());
            String run = deal.spec().address().substring(0, deal.spec().address().lastIndexOf('.'));
            ctx.terminal.out.println(ctx.terminal.bold(run) + ": deal " + deal.dealId() + ", " + deal.taskIds().size()
                    + " task(s), workerpool " + deal.workerpool() + " (API " + api + ")");
            for (String taskId : deal.taskIds()) {
                complete &= print(TaskLogs.read(api, chain, taskId, wallet));
            }
        }
        return complete ? Main.OK : Main.FAILED;
    }

    private List<Deal> selectDeals(Pipeline p, StateStore store) {
        boolean taskId = what.matches("0x[0-9a-fA-F]{64}");
        String run = what.startsWith("run.") ? what : "run." + what;
        List<Deal> out = new ArrayList<>();
        for (StepSpec spec : p.steps().values()) {
            if (!spec.type().equals(DealStep.ID)) {
                continue;
            }
            String a = spec.address();
            String runOfDeal = a.substring(0, a.length() - ".deal".length());
            boolean ofRun = runOfDeal.equals(run) || runOfDeal.matches(java.util.regex.Pattern.quote(run) + "-\\d+") // for-each/matrix
                    || what.startsWith(runOfDeal + ".");                                // a step address of the run
            if (!taskId && !ofRun) {
                continue;
            }
            StepRecord record = store.read(a).record();
            if (record == null) {
                if (!taskId) {
                    throw new TeeflowException(a + " has made no deal yet (no record in the state directory); run "
                            + "'teeflow apply' first");
                }
                continue;
            }
            Outputs outputs = OutputCodec.decode(record.outputs(), p.projectDir());
            List<String> tasks = tasks(outputs);
            if (taskId) {
                tasks = tasks.stream().filter(t -> t.equalsIgnoreCase(what)).toList();
                if (tasks.isEmpty()) {
                    continue;
                }
            }
            out.add(new Deal(spec, outputs.string("deal-id").orElse("?"), outputs.string("workerpool").orElseThrow(() ->
                    new TeeflowException("the record of " + a + " names no workerpool; run 'teeflow apply' again")), tasks));
        }
        if (out.isEmpty()) {
            throw new TeeflowException(taskId ? "task " + what + " is not a task of a deal this pipeline made"
                    + " (the state directory knows " + knownTasks(p, store) + ")"
                    : "no run '" + what + "' in the pipeline" + dev.teeflow.engine.config.Suggestions.didYouMean(run,
                    p.steps().values().stream().filter(s -> s.type().equals(DealStep.ID))
                            .map(s -> s.address().substring(0, s.address().lastIndexOf('.'))).toList()));
        }
        return out;
    }

    private static String knownTasks(Pipeline p, StateStore store) {
        List<String> all = new ArrayList<>();
        for (StepSpec spec : p.steps().values()) {
            StepRecord r = spec.type().equals(DealStep.ID) ? store.read(spec.address()).record() : null;
            if (r != null) {
                all.addAll(tasks(OutputCodec.decode(r.outputs(), p.projectDir())));
            }
        }
        return all.isEmpty() ? "no task" : String.join(", ", all);
    }

    private static List<String> tasks(Outputs outputs) {
        Object ids = outputs.get("task-ids");
        if (ids instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return outputs.string("task-id").map(List::of).orElse(List.of());
    }

    /** Prints one task; false when something could not be read. */
    private boolean print(TaskLogs.Entry e) {
        Terminal t = ctx.terminal;
        t.out.println();
        t.out.println(t.bold("task " + e.taskId()) + e.view().map(v -> ": " + v.status()).orElse(""));
        e.view().ifPresentOrElse(v -> {
            t.out.println("  statuses: " + statuses(v.history()));
            for (TaskView.Replicate r : v.replicates()) {
                t.out.println("  worker " + r.worker() + ": " + r.status()
                        + (r.exitCode() == null ? "" : ", app exit code " + r.exitCode()));
                t.out.println("    " + statuses(r.history()));
            }
        }, () -> {
            if (e.problem() == null) {
                t.out.println("  the workerpool has not seen this task yet");
            }
        });
        if (e.logs().isPresent()) {
            Map<String, ComputeLogs> byWorker = new LinkedHashMap<>();
            e.logs().get().forEach(l -> byWorker.put(l.worker().toLowerCase(Locale.ROOT), l));
            for (ComputeLogs l : byWorker.values()) {
                block("stdout", l.worker(), l.stdout());
                block("stderr", l.worker(), l.stderr());
            }
        } else if (e.problem() == null) {
            t.out.println("  no app logs yet (the app has not run)");
        }
        if (e.problem() != null) {
            t.err.println(t.red("  cannot read: ") + e.problem());
            return false;
        }
        return true;
    }

    private void block(String stream, String worker, String text) {
        Terminal t = ctx.terminal;
        if (text == null || text.isEmpty()) {
            t.out.println("  " + t.dim("--- " + stream + " (" + worker + "): empty ---"));
            return;
        }
        t.out.println("  " + t.dim("--- " + stream + " (" + worker + ") ---"));
        text.lines().forEach(line -> t.out.println("  " + line));
    }

    private static String statuses(List<TaskView.StatusChange> history) {
        return history.stream().map(c -> c.status() + (c.cause() == null ? "" : " (" + c.cause() + ")")
                + (c.date().isEmpty() ? "" : " " + time(c.date()))).collect(Collectors.joining(" > "));
    }

    /** {@code 2026-12-04T14:02:03.123+00:00} -> {@code 14:02:03}. */
    private static String time(String date) {
        int t = date.indexOf('T');
        return t > 0 && date.length() >= t + 9 ? date.substring(t + 1, t + 9) : date;
    }
}
