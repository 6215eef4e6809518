package dev.teeflow.actions.chain;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.SectionType;
import java.util.function.Consumer;

/** {@code target: <chain name>}: checked here, used by every chain-bound section; emits no step. */
public final class TargetSection implements SectionType {
    @Override
    public String key() {
        return Targets.TARGET_KEY;
    }

    @Override
    public void expand(ConfigNode section, ConfigNode root, Problems problems, Consumer<StepSpec> emit) {
        Targets.validate(root, problems);
    }
}
