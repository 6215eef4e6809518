package dev.teeflow.actions.deploy;

import dev.teeflow.engine.CrashPoints;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.protocol.chain.TxHook;
import java.util.function.Consumer;

/**
 * The hook every chain step gives its transactions: {@code record} durably notes the hash (the step's
 * intent) before the transaction leaves, and the crash point {@code after-broadcast:<step>} marks the
 * most dangerous moment, sent but not yet confirmed, for the crash tests.
 */
public final class RecordingTxHook implements TxHook {
    private final StepContext ctx;
    private final Consumer<String> record;

    public RecordingTxHook(StepContext ctx, Consumer<String> record) {
        this.ctx = ctx;
        this.record = record;
    }

    @Override
    public void beforeBroadcast(String txHash) {
        record.accept(txHash);
    }

    @Override
    public void afterBroadcast(String txHash) {
        CrashPoints.reached("after-broadcast:" + ctx.address());
    }
}
