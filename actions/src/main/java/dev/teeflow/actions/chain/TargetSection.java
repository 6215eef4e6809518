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
    public String doc() {
        return "The chain every chain-bound step uses: devnet (the default), devnet:<name>, a built-in chain "
                + "(arbitrum-sepolia, arbitrum, bellecour) or one under chains:; makes no step. Example: target: "
                + "arbitrum-sepolia.";
    }

    @Override
    public void expand(ConfigNode section, ConfigNode root, Problems problems, Consumer<StepSpec> emit) {
        Targets.validate(root, problems);
    }
}
