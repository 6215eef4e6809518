package dev.teeflow.actions.chain;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.SectionType;
import java.util.function.Consumer;

/** {@code wallet:}: checked here, used by every section whose steps sign; emits no step. */
public final class WalletSection implements SectionType {
    @Override
    public String key() {
        return Wallets.KEY;
    }

    @Override
    public void expand(ConfigNode section, ConfigNode root, Problems problems, Consumer<StepSpec> emit) {
        Wallets.inputFor(root, problems);
    }
}
