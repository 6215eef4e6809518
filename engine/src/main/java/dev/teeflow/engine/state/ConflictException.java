package dev.teeflow.engine.state;

import dev.teeflow.engine.TeeflowException;

/** A compare-and-swap write found another version than the one it expected: someone else wrote first. */
public final class ConflictException extends TeeflowException {
    public ConflictException(String message) {
        super(message);
    }
}
