package dev.teeflow.engine.model;

import dev.teeflow.engine.state.StateSettings;
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
 * @param pathsMayLeaveProject whether step inputs may name files outside {@code projectDir}
 *     ({@code allow-outside-paths: true}); by default they may not
 * @param state where the state lives, as the file's {@code state:} block says (the local directory when absent)
 */
public record Pipeline(String name, Path file, Path projectDir, Map<String, StepSpec> steps, boolean pathsMayLeaveProject,
                       StateSettings state) {
    public Pipeline {
        steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        state = state == null ? StateSettings.local() : state;
    }

    public Pipeline(String name, Path file, Path projectDir, Map<String, StepSpec> steps, boolean pathsMayLeaveProject) {
        this(name, file, projectDir, steps, pathsMayLeaveProject, null);
    }

    /** A pipeline whose paths stay inside the project folder. */
    public Pipeline(String name, Path file, Path projectDir, Map<String, StepSpec> steps) {
        this(name, file, projectDir, steps, false, null);
    }
}
