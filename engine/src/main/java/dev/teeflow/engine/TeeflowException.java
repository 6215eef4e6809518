package dev.teeflow.engine;

/**
 * Root of every error teeflow reports to its user. Messages are written for a person: they say what
 * went wrong, where, and what to do. They never contain a secret value.
 */
public class TeeflowException extends RuntimeException {
    public TeeflowException(String message) {
        super(message);
    }

    public TeeflowException(String message, Throwable cause) {
        super(message, cause);
    }
}
