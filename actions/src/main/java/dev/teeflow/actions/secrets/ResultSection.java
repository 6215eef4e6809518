package dev.teeflow.actions.secrets;

import dev.teeflow.actions.chain.Targets;
import dev.teeflow.actions.chain.Wallets;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.SectionType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code result:}, how task results come back to the beneficiary (the wallet):
 *
 * <pre>
 * result:
 *   encryption: true        # make an RSA key pair and push its public key to the SMS
 *   key-files: true         # optional: also write .secrets/beneficiary/&lt;address&gt;_key for the iexec CLI
 *   private-key: file:PATH  # optional: this RSA key instead of one made here (one key shared by pipelines)
 * </pre>
 *
 * With {@code encryption: true} it emits {@value #ADDRESS} ({@value ResultEncryptionKeyStep#ID}).
 */
public final class ResultSection implements SectionType {
    public static final String KEY = "result";
    public static final String ADDRESS = "result.encryption-key";

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String doc() {
        return "How task results come back: encryption: true makes an RSA key pair and pushes its public key to "
                + "the SMS; key-files: also writes it for the iExec CLI; private-key: brings a key of your own. "
                + "Example: result: { encryption: true }.";
    }

    @Override
    public java.util.Map<String, String> makes() {
        return dev.teeflow.engine.spi.SectionSteps.of(
                "result.encryption-key", "sms.result-encryption-key");
    }

    @Override
    public void expand(ConfigNode section, ConfigNode root, Problems problems, Consumer<StepSpec> emit) {
        if (section.isNull()) {
            return;
        }
        MapReader r = new MapReader(section, problems);
        boolean encryption = r.bool("encryption", false);
        boolean keyFiles = r.bool("key-files", false);
        var framework = r.optionalString("tee-framework");
        var sharedKey = r.node("private-key").flatMap(n -> dev.teeflow.engine.config.InputValues.secretRef(n, problems));
        r.rejectUnknownKeys();
        if (!section.isMap() || !encryption) {
            return;
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("chain", Targets.inputFor(root, problems));
        inputs.put("wallet", Wallets.inputFor(root, problems));
        inputs.put("key-files", keyFiles);
        framework.ifPresent(f -> inputs.put("tee-framework", f));
        sharedKey.ifPresent(k -> inputs.put(ResultEncryptionKeyStep.SHARED_KEY, k));
        emit.accept(new StepSpec(ADDRESS, ResultEncryptionKeyStep.ID, inputs, Set.of(), false, section.location(), section));
    }
}
