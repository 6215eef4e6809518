package dev.teeflow.engine.spi;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import java.util.function.Consumer;

/**
 * A top-level section of a pipeline file ({@code steps}, {@code app}, {@code dataset}, {@code run},
 * {@code wallet}...), turned into steps. Found through {@link java.util.ServiceLoader}. Front-ends
 * call every section type on the tree they parsed, so YAML and Groovy give the same steps.
 */
public interface SectionType {
    /** The top-level key this type reads. */
    String key();

    /** One paragraph for the reference: what the section is for and how a block is written (a short example). */
    default String doc() {
        return "";
    }

    /** The steps a block makes, as address pattern to step type ({@code app.<name>.build} -> {@code app.build}). */
    default java.util.Map<String, String> makes() {
        return java.util.Map.of();
    }

    /**
     * Reads {@code section} and emits its steps. {@code root} is the whole file, for sections that
     * depend on settings such as {@code target} or {@code wallet}. Problems are recorded, not thrown.
     */
    void expand(ConfigNode section, ConfigNode root, Problems problems, Consumer<StepSpec> emit);
}
