package dev.teeflow.protocol.chain;

/**
 * A recorded transaction hash is unknown to the node: it was never broadcast (the process died between
 * recording and sending) or the node dropped it. The caller should re-check the chain (e.g. isRegistered)
 * and only then send again.
 */
public class TxDroppedException extends ChainException {
    private final String txHash;

    public TxDroppedException(String txHash) {
        super("transaction " + txHash + " is unknown to the node (never broadcast or dropped);"
                + " check the chain state before sending it again");
        this.txHash = txHash;
    }

    public String txHash() {
        return txHash;
    }
}
