package dev.teeflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.run.StateRepair;
import dev.teeflow.engine.state.StateLease;
import dev.teeflow.engine.state.StateStore;
import dev.teeflow.engine.state.StepRecord;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "state", description = "Shows, copies, moves and repairs what the state remembers.",
        subcommands = {StateCommand.ListCommand.class, StateCommand.ShowCommand.class, StateCommand.HistoryCommand.class,
                StateCommand.PullCommand.class, StateMigrateCommand.class, StateCommand.RepairCommand.class})
final class StateCommand {
    @Command(name = "list", description = "Lists the steps that have a record.")
    static final class ListCommand implements Callable<Integer> {
        private final CliContext ctx;

        @Mixin
        PipelineOptions pipeline;

        ListCommand(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Pipeline p = pipeline.load(ctx);
            StateStore store = pipeline.stateStore(ctx, p);
            for (String address : store.addresses()) {
                StateStore.Read r = store.read(address);
                ctx.terminal.out.println(r.isCorrupt() ? address + "  (damaged: " + r.problem() + ")"
                        : address + "  " + r.record().type() + "  " + r.record().finishedAt());
            }
            return Main.OK;
        }
    }

    @Command(name = "show", description = "Prints one step's record: its key, input digests and outputs (never secret values).")
    static final class ShowCommand implements Callable<Integer> {
        private final CliContext ctx;

        @Mixin
        PipelineOptions pipeline;

        @Parameters(paramLabel = "ADDR", description = "The step's address.")
        String address;

        ShowCommand(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws Exception {
            Pipeline p = pipeline.load(ctx);
            StateStore.Read r = pipeline.stateStore(ctx, p).read(address);
            if (r.isCorrupt()) {
                throw new TeeflowException(r.problem());
            }
            StepRecord record = r.record();
            if (record == null) {
                throw new TeeflowException("no record for '" + address + "' (it never ran, or the address is wrong)");
            }
            ctx.terminal.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(record));
            return Main.OK;
        }
    }

    @Command(name = "history", description = "Lists the kept versions of one step's record, newest first: when each was "
            + "written and with which key (the local directory keeps only the current one).")
    static final class HistoryCommand implements Callable<Integer> {
        private final CliContext ctx;

        @Mixin
        PipelineOptions pipeline;

        @Parameters(paramLabel = "ADDR", description = "The step's address.")
        String address;

        HistoryCommand(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Pipeline p = pipeline.load(ctx);
            var versions = pipeline.stateStore(ctx, p).history(address);
            if (versions.isEmpty()) {
                throw new TeeflowException("no record for '" + address + "' in the state, now or before");
            }
            for (StateStore.RecordVersion v : versions) {
                ctx.terminal.out.println("version " + v.version() + "  " + v.time() + "  " + (v.record() == null ? v.problem()
                        : "key " + v.record().key().substring(0, Math.min(12, v.record().key().length())) + "  finished "
                        + v.record().finishedAt()));
            }
            return Main.OK;
        }
    }

    @Command(name = "pull", description = "Writes a readable copy of the state as JSON: every record, every intent, the "
            + "names of the step secrets and who holds the lock. Never a secret value.")
    static final class PullCommand implements Callable<Integer> {
        private final CliContext ctx;

        @Mixin
        PipelineOptions pipeline;

        @picocli.CommandLine.Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of the standard output.")
        java.nio.file.Path output;

        PullCommand(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws Exception {
            Pipeline p = pipeline.load(ctx);
            StateStore store = pipeline.stateStore(ctx, p);
            java.util.Map<String, Object> copy = new java.util.LinkedHashMap<>();
            copy.put("backend", store.backend().kind());
            copy.put("location", store.backend().location());
            java.util.Map<String, Object> records = new java.util.LinkedHashMap<>();
            java.util.Map<String, Object> intents = new java.util.LinkedHashMap<>();
            java.util.List<String> secrets = new java.util.ArrayList<>();
            for (String address : store.addresses()) {
                StateStore.Read r = store.read(address);
                records.put(address, r.isCorrupt() ? java.util.Map.of("damaged", r.problem()) : r.record());
            }
            for (String key : store.dataKeys()) {
                if (key.startsWith("intents/")) {
                    String address = key.substring("intents/".length(), key.length() - ".json".length());
                    store.readIntent(address).ifPresent(i -> intents.put(address, i));
                } else if (key.startsWith("secrets/")) {
                    secrets.add(key.substring("secrets/".length()));
                }
            }
            copy.put("records", records);
            copy.put("intents", intents);
            copy.put("secrets", secrets);
            copy.put("projectKey", store.hasProjectKey() ? "present (not shown)" : "none yet");
            copy.put("lock", store.backend().lockHolder().orElse(null));
            String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(copy);
            json = ctx.redactor.redact(json);
            if (output != null) {
                java.nio.file.Files.writeString(output, json + "\n");
                ctx.terminal.err.println("wrote " + records.size() + " record(s) and " + intents.size() + " intent(s) to " + output);
            } else {
                ctx.terminal.out.println(json);
            }
            return Main.OK;
        }
    }

    @Command(name = "repair", description = {
            "Shows what is known about a step whose record or kept secret is damaged, and applies the choice you make.",
            "Without an option it only reports. Works on every state backend, under the state's lock. What is set aside"
                    + " is moved to <name>.damaged-<time> beside the original, never deleted."})
    static final class RepairCommand implements Callable<Integer> {
        private final CliContext ctx;

        @Mixin
        PipelineOptions pipeline;

        @Parameters(paramLabel = "ADDR", description = "The step's address.")
        String address;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Option(names = "--forget-record", description = "Set the damaged record aside: the step runs again on the next apply"
                + " (for a deal, a deploy or a push: check first that it did not happen, or accept that it happens again).")
        boolean forgetRecord;

        @Option(names = "--forget-secret", paramLabel = "NAME", description = "Set the damaged kept secret NAME aside: the step"
                + " makes a new one when it runs again (a new dataset key means a new ciphertext and a new dataset).")
        String forgetSecret;

        @Option(names = "--lock-timeout", paramLabel = "DURATION", converter = Durations.class,
                description = "How long to wait for a run holding the state's lock (default: 0, fail at once).")
        Duration lockTimeout = Duration.ZERO;

        RepairCommand(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Pipeline p = pipeline.load(ctx);
            StateStore store = pipeline.stateStore(ctx, p);
            try (StateLease lease = StateLease.acquire(store.backend(), "state repair", ctx.env, lockTimeout,
                    pipeline.stateSettings(ctx, p).lease(StateLease.DEFAULT_LEASE))) {
                store.refuseWritesWhen(lease::lost);
                StateRepair repair = new StateRepair(store);
                if (forgetRecord) {
                    ctx.terminal.out.println("set the record aside: " + repair.forgetRecord(address)
                            + "; the next apply runs " + address + " again");
                    return Main.OK;
                }
                if (forgetSecret != null) {
                    ctx.terminal.out.println("set the kept secret aside: " + repair.forgetSecret(address, forgetSecret)
                            + "; the next apply runs " + address + " again and makes a new one");
                    return Main.OK;
                }
                repair.report(address).forEach(ctx.terminal.out::println);
                if (repair.isDamaged(address)) {
                    String forget = "'teeflow state repair " + address + " --forget-record' / '--forget-secret NAME'";
                    ctx.terminal.out.println(store.backend().isRemote()
                            ? "choices: " + forget + " (what is set aside stays in the " + store.backend().kind()
                                    + " state and its history: 'teeflow state history " + address + "')"
                            : "choices: put back an intact copy of the damaged file and run plan; or " + forget);
                }
                return Main.OK;
            }
        }
    }
}
