package dev.teeflow.actions.dataset;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.model.Ref;

/**
 * One entry of the {@code dataset:} section ({@code emails: {...}}) and the addresses of its steps;
 * {@code root} is the whole file, for contributors that read {@code target:} and {@code wallet:}.
 */
public record DatasetBlock(String name, ConfigNode node, ConfigNode root) {
    /** A dataset read without the rest of the file (no chain steps need it). */
    public DatasetBlock(String name, ConfigNode node) {
        this(name, node, null);
    }

    /** {@code dataset.<name>.<step>}. */
    public String address(String step) {
        return "dataset." + name + "." + step;
    }

    /** A reference to an output of one of this dataset's steps. */
    public Ref output(String step, String output) {
        return new Ref(address(step), output);
    }
}
