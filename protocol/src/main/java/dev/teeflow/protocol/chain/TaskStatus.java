package dev.teeflow.protocol.chain;

/** PoCo task status codes, in on-chain order. */
public enum TaskStatus {
    UNSET, ACTIVE, REVEALING, COMPLETED, FAILED;

    static TaskStatus of(int code) {
        if (code < 0 || code >= values().length) {
            throw new ChainException("unknown task status code " + code);
        }
        return values()[code];
    }
}
