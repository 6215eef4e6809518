package dev.teeflow.actions.app;

import dev.teeflow.engine.model.StepSpec;
import java.util.function.Consumer;

/**
 * One kind of step an app block can have ({@code build}, {@code tee}, {@code push}; later
 * {@code deploy}, {@code push-secret}). {@link AppSection} asks each part in order, so a new step per
 * app is a new part added to the list, not a rewrite of the section.
 */
public interface AppPart {
    /** The key of this part's block in an app ({@code push}). */
    String key();

    /** Reads the part's block (validating its keys) and emits its step(s), if any. */
    void expand(AppDeclaration app, Consumer<StepSpec> emit);
}
