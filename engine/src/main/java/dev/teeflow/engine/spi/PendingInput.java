package dev.teeflow.engine.spi;

/**
 * An input of a step that cannot be known at plan time because it is an output of an upstream step that
 * has not run yet: {@code output} of step {@code step}, a step of type {@code stepType}.
 */
public record PendingInput(String step, String stepType, String output) {
    @Override
    public String toString() {
        return step + "." + output;
    }
}
