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
    public String doc() {
        return "The wallet that signs: devnet (account 0 of a devnet), { devnet-account: N }, { keystore: FILE, "
                + "password: env:NAME } or { private-key: env:NAME }; makes no step. Example: wallet: { keystore: "
                + "wallet.json, password: env:WALLET_PASSWORD }.";
    }

    @Override
    public void expand(ConfigNode section, ConfigNode root, Problems problems, Consumer<StepSpec> emit) {
        Wallets.inputFor(root, problems);
    }
}
