package dev.teeflow.devnet.chain;

/** The local chain could not be installed, started or deployed; the message says what to do. */
public class DevChainException extends RuntimeException {
    public DevChainException(String message) {
        super(message);
    }

    public DevChainException(String message, Throwable cause) {
        super(message, cause);
    }
}
