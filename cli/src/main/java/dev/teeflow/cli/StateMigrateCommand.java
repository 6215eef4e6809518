package dev.teeflow.cli;

import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.state.StateLease;
import dev.teeflow.engine.state.StateMigration;
import dev.teeflow.engine.state.StateSettings;
import dev.teeflow.engine.state.StateStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "migrate", description = "Copies the state (records, intents, step secrets, the project key) into another "
        + "backend, then reads it all back from there and compares. The source is left unchanged: point the pipeline at "
        + "the new backend afterwards.")
final class StateMigrateCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--to", required = true, split = ",", paramLabel = "KEY=VALUE",
            description = "The target's settings, as in the state block: backend=postgres,url=...,user=...,"
                    + "password=env:NAME,passphrase=env:NAME (repeatable; credentials only as env: or file: references).")
    Map<String, String> to = new LinkedHashMap<>();

    @Option(names = "--lock-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "How long to wait for a run holding either state's lock (default: 0, fail at once).")
    Duration lockTimeout = Duration.ZERO;

    StateMigrateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Pipeline p = pipeline.load(ctx);
        StateSettings target = settings(to);
        StateStore from = pipeline.stateStore(ctx, p);
        var targetBackend = pipeline.openBackend(ctx, p, target);
        var encryption = pipeline.encryption(ctx, p, target);
        StateStore into = new StateStore(pipeline.stateDirFor(p), targetBackend, encryption);
        ctx.terminal.err.println("migrating the state from " + from.backend().kind() + " " + from.backend().location()
                + " to " + targetBackend.kind() + " " + targetBackend.location());
        try (StateLease source = StateLease.acquire(from.backend(), "state migrate", ctx.env, lockTimeout, StateLease.DEFAULT_LEASE);
             StateLease dest = StateLease.acquire(targetBackend, "state migrate", ctx.env, lockTimeout, StateLease.DEFAULT_LEASE)) {
            StateMigration.Result result = StateMigration.copy(from, into, line -> ctx.terminal.err.println("  " + line));
            var again = pipeline.openBackend(ctx, p, target); // a second client: what another machine will read
            StateMigration.verify(from, new StateStore(pipeline.stateDirFor(p), again, encryption));
            ctx.terminal.out.println("copied and verified " + result.describe() + " into " + targetBackend.kind() + " "
                    + targetBackend.location() + "; the source is unchanged. Point the pipeline's state block (or "
                    + "--state-backend / TEEFLOW_STATE_BACKEND) at it to use it.");
        }
        return Main.OK;
    }

    private static StateSettings settings(Map<String, String> given) {
        Map<String, String> own = new LinkedHashMap<>(given);
        String backend = own.remove("backend");
        String passphrase = own.remove("passphrase");
        String key = own.remove("key");
        if (backend == null) {
            throw new dev.teeflow.engine.TeeflowException("--to needs backend=KIND (local, postgres, git or s3)");
        }
        return new StateSettings(backend, own, passphrase, key);
    }
}
