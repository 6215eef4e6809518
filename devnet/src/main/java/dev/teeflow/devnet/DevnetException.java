package dev.teeflow.devnet;

/** The devnet cannot do what was asked; the message says what and what to do. */
public class DevnetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DevnetException(String message) {
        super(message);
    }

    public DevnetException(String message, Throwable cause) {
        super(message, cause);
    }
}
