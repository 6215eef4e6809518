package dev.teeflow.protocol.chain;

/**
 * A chain interaction failed: the node is unreachable, a call reverted, a transaction failed or
 * timed out. The message names the contract/transaction and what to do.
 */
public class ChainException extends RuntimeException {
    public ChainException(String message) {
        super(message);
    }

    public ChainException(String message, Throwable cause) {
        super(message, cause);
    }
}
