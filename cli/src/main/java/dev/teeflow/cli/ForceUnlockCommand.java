package dev.teeflow.cli;

import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.state.LockInfo;
import dev.teeflow.engine.state.StateLock;
import dev.teeflow.engine.state.StateStore;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "force-unlock", description = "Releases the state lock left by a run that died. Make sure no run is going on.")
final class ForceUnlockCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    PipelineOptions pipeline;

    ForceUnlockCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Pipeline p = pipeline.load(ctx);
        Optional<LockInfo> holder = StateLock.forceUnlock(new StateStore(pipeline.stateDirFor(p)).lockFile());
        ctx.terminal.out.println(holder.map(h -> "released the lock held by " + h.describe())
                .orElse("the state directory was not locked"));
        return Main.OK;
    }
}
