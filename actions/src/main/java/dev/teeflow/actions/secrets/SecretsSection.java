package dev.teeflow.actions.secrets;

import dev.teeflow.actions.chain.Targets;
import dev.teeflow.actions.chain.Wallets;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.InputValues;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.SectionType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code secrets:}, the requester's secrets, pushed to the SMS under the wallet's address:
 *
 * <pre>
 * secrets:
 *   my_email: env:MY_EMAIL          # or file:secrets/email.txt, or { secret: env:MY_EMAIL }
 * </pre>
 *
 * Emits one {@code requester.secret.<name>} step ({@value RequesterSecretStep#ID}) per entry.
 */
public final class SecretsSection implements SectionType {
    public static final String KEY = "secrets";

    /** The address of the step that pushes requester secret {@code name}. */
    public static String address(String name) {
        return "requester.secret." + name;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String doc() {
        return "Requester secrets, pushed to the SMS under the wallet's address, by name. Example: secrets: { "
                + "my_email: env:MY_EMAIL }.";
    }

    @Override
    public java.util.Map<String, String> makes() {
        return dev.teeflow.engine.spi.SectionSteps.of(
                "requester.secret.<name>", "sms.requester-secret");
    }

    @Override
    public void expand(ConfigNode section, ConfigNode root, Problems problems, Consumer<StepSpec> emit) {
        if (section.isNull()) {
            return;
        }
        if (!section.isMap()) {
            problems.error(section, "expected a map of secret name to secret reference, such as"
                    + " { my_email: env:MY_EMAIL }, found " + section.describeKind());
            return;
        }
        if (section.entries().isEmpty()) {
            return;
        }
        Map<String, Object> chain = Targets.inputFor(root, problems);
        Map<String, Object> wallet = Wallets.inputFor(root, problems);
        for (var e : section.entries().entrySet()) {
            String name = e.getKey();
            if (!SecretInputs.NAME.matcher(name).matches()) {
                problems.error(e.getValue(), "secret name '" + name + "' must be 1 to 64 of A-Z a-z 0-9 _ -"
                        + " (the SMS refuses others)");
                continue;
            }
            ConfigNode written = e.getValue();
            boolean versioned = false;
            if (written.isMap() && written.get("secret") == null) {
                MapReader r = new MapReader(written, problems);
                versioned = r.bool("versioned", false);
                ConfigNode value = r.requiredNode("value").orElse(null);
                r.rejectUnknownKeys();
                if (value == null) {
                    continue;
                }
                written = value;
            }
            boolean versionedName = versioned;
            InputValues.secretRef(written, problems).ifPresent(ref -> {
                Map<String, Object> inputs = new LinkedHashMap<>();
                inputs.put("name", name);
                inputs.put("value", ref);
                if (versionedName) {
                    inputs.put("versioned", true);
                }
                inputs.put("chain", chain);
                inputs.put("wallet", wallet);
                emit.accept(new StepSpec(address(name), RequesterSecretStep.ID, inputs, Set.of(), false,
                        e.getValue().location(), e.getValue()));
            });
        }
    }
}
