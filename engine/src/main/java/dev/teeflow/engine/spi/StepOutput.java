package dev.teeflow.engine.spi;

/**
 * One output of a step type, as its {@link StepSchema} declares it.
 *
 * @param name the name other steps reference ({@code ${{ <step>.<name> }}})
 * @param kind {@code text}, {@code number}, {@code file}, {@code bool}...
 * @param secret whether the value is a secret (kept in the state directory, never shown)
 * @param doc one line for the reference
 * @param whenInput the output exists only when this input is given ({@code null}: always)
 */
public record StepOutput(String name, String kind, boolean secret, String doc, String whenInput) {
    public static StepOutput text(String name, String doc) {
        return new StepOutput(name, "text", false, doc, null);
    }

    public static StepOutput number(String name, String doc) {
        return new StepOutput(name, "number", false, doc, null);
    }

    public static StepOutput file(String name, String doc) {
        return new StepOutput(name, "file", false, doc, null);
    }

    public static StepOutput secret(String name, String doc) {
        return new StepOutput(name, "secret", true, doc, null);
    }

    /** This output, present only when input {@code input} is given. */
    public StepOutput when(String input) {
        return new StepOutput(name, kind, secret, doc, input);
    }
}
