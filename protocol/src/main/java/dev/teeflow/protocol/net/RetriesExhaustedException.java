package dev.teeflow.protocol.net;

import java.io.IOException;

/** A transient failure that outlasted every attempt of a {@link RetryPolicy}; the message says how many. */
public final class RetriesExhaustedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int attempts;

    public RetriesExhaustedException(String message, int attempts, IOException last) {
        super(message, last);
        this.attempts = attempts;
    }

    public int attempts() {
        return attempts;
    }
}
