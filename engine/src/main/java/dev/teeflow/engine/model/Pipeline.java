package dev.teeflow.engine.model;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole pipeline: its steps by address, in the order the file declared them.
 *
 * @param name the pipeline's name
 * @param file the pipeline file, or {@code null} when built in code
 * @param projectDir the folder relative paths are resolved against (the file's folder)
 * @param steps every step by address
 */
public record Pipeline(String name, Path file, Path projectDir, Map<String, StepSpec> steps) {
    public Pipeline {
        steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
    }
}
