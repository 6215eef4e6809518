package dev.teeflow.protocol.dataset;

/**
 * A dataset file, key or folder cannot be used as given. The message says what is wrong and what to
 * do, and never contains key material.
 */
public class DatasetFormatException extends RuntimeException {
    public DatasetFormatException(String message) {
        super(message);
    }

    public DatasetFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
