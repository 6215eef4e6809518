package dev.teeflow.engine.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects every problem found while reading a pipeline, so that a file with ten mistakes reports
 * ten errors, not the first one.
 */
public final class Problems {
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    public void add(Diagnostic diagnostic) {
        diagnostics.add(diagnostic);
    }

    public void error(ConfigNode node, String message) {
        add(new Diagnostic(node.location(), node.path(), message));
    }

    public void error(SourceLocation location, String path, String message) {
        add(new Diagnostic(location, path, message));
    }

    public boolean isEmpty() {
        return diagnostics.isEmpty();
    }

    public List<Diagnostic> all() {
        return Collections.unmodifiableList(diagnostics);
    }

    /** Throws {@link InvalidPipelineException} carrying every problem, if there is any. */
    public void throwIfAny() {
        if (!diagnostics.isEmpty()) {
            throw new InvalidPipelineException(List.copyOf(diagnostics));
        }
    }
}
