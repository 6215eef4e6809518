package dev.teeflow.engine.spi;

import dev.teeflow.engine.TeeflowException;

/** Thrown by {@link Adoptable#adopt} when the thing a step makes does not exist yet: apply makes it, nothing is wrong. */
public class NothingToAdoptException extends TeeflowException {
    public NothingToAdoptException(String message) {
        super(message);
    }
}
