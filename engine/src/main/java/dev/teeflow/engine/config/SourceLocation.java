package dev.teeflow.engine.config;

import java.nio.file.Path;

/**
 * Where a value came from in a pipeline file: file, 1-based line and column. {@link #UNKNOWN} for
 * values built in code.
 */
public record SourceLocation(Path file, int line, int column) {
    public static final SourceLocation UNKNOWN = new SourceLocation(null, 0, 0);

    public boolean isKnown() {
        return file != null && line > 0;
    }

    /** {@code teeflow.yml:12:5}, the form editors and CI annotations understand. */
    @Override
    public String toString() {
        if (file == null) {
            return "<unknown>";
        }
        return line > 0 ? file + ":" + line + ":" + column : file.toString();
    }
}
