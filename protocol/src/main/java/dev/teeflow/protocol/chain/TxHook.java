package dev.teeflow.protocol.chain;

/**
 * Called with the hash of a signed transaction BEFORE it is broadcast and before any waiting, so the
 * caller can durably record it (a step's intent). If the process dies afterwards, the next run resumes
 * with {@link TxSender#resume(String)} instead of sending a second transaction.
 */
@FunctionalInterface
public interface TxHook {
    TxHook NONE = hash -> { };

    void beforeBroadcast(String txHash);

    /** Called once the node accepted the transaction, before waiting for its receipt. */
    default void afterBroadcast(String txHash) {
    }
}
