package dev.teeflow.actions.dataset;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.model.Ref;

/** One entry of the {@code dataset:} section ({@code emails: {...}}) and the addresses of its steps. */
public record DatasetBlock(String name, ConfigNode node) {
    /** {@code dataset.<name>.<step>}. */
    public String address(String step) {
        return "dataset." + name + "." + step;
    }

    /** A reference to an output of one of this dataset's steps. */
    public Ref output(String step, String output) {
        return new Ref(address(step), output);
    }
}
