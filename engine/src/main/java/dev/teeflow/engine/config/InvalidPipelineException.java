package dev.teeflow.engine.config;

import dev.teeflow.engine.TeeflowException;
import java.util.List;
import java.util.stream.Collectors;

/** The pipeline file cannot be used as written. The CLI exits with code 2. */
public final class InvalidPipelineException extends TeeflowException {
    private final List<Diagnostic> diagnostics;

    public InvalidPipelineException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public InvalidPipelineException(Diagnostic diagnostic) {
        this(List.of(diagnostic));
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
