package dev.teeflow.engine.state;

import dev.teeflow.engine.TeeflowException;

/** The state directory is in use by another run. */
public final class LockedException extends TeeflowException {
    private final LockInfo holder;

    public LockedException(String message, LockInfo holder) {
        super(message);
        this.holder = holder;
    }

    public LockInfo holder() {
        return holder;
    }
}
