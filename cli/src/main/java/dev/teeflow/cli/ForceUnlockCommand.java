package dev.teeflow.cli;

import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.state.LockInfo;
import dev.teeflow.engine.state.StateBackend;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "force-unlock", description = "Releases the state lock left by a run that died. Make sure no run is going on. "
        + "A remote state's lock is named by its id (the waiting run's error shows it).")
final class ForceUnlockCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    PipelineOptions pipeline;

    @Parameters(paramLabel = "LOCK_ID", arity = "0..1",
            description = "The id of the lock to release (required for a remote state; optional for the local directory).")
    String lockId;

    ForceUnlockCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Pipeline p = pipeline.load(ctx);
        StateBackend backend = pipeline.stateBackend(ctx, p);
        if (backend.isRemote() && lockId == null) {
            Optional<LockInfo> holder = backend.lockHolder();
            throw new dev.teeflow.engine.TeeflowException("give the id of the lock to release: teeflow force-unlock LOCK_ID"
                    + holder.map(h -> " (the lock now is " + h.describe() + ")").orElse(" (the state is not locked now)"));
        }
        Optional<LockInfo> holder = backend.forceUnlock(lockId);
        ctx.terminal.out.println(holder.map(h -> "released the lock held by " + h.describe())
                .orElse("the state " + (backend.isRemote() ? "" : "directory ") + "was not locked"));
        return Main.OK;
    }
}
