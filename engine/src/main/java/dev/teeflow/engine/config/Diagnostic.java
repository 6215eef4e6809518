package dev.teeflow.engine.config;

/**
 * One problem in a pipeline file: where it is, the YAML-style path of the field ({@code
 * app.checker.build.dockerfile}), and what is wrong.
 */
public record Diagnostic(SourceLocation location, String path, String message) {
    @Override
    public String toString() {
        String where = location.isKnown() ? location + ": " : "";
        String field = path == null || path.isEmpty() ? "" : path + ": ";
        return where + field + message;
    }
}
