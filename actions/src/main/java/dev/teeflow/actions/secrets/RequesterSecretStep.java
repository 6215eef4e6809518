package dev.teeflow.actions.secrets;

import dev.teeflow.actions.chain.Wallet;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.StepContext;

/**
 * {@code sms.requester-secret}: a requester secret (what a task reads as
 * {@code IEXEC_REQUESTER_SECRET_<n>}), owned by the wallet's address. Write-once.
 *
 * <p>Inputs: {@code name} (the secret's name, {@code [A-Za-z0-9_-]{1,64}}), {@code value} (a secret
 * reference), {@code chain}, {@code wallet}, optional {@code tee-framework}.
 */
public final class RequesterSecretStep extends SmsSecretStep {
    public static final String ID = "sms.requester-secret";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void validate(StepSpec spec, Problems problems) {
        Object name = spec.inputs().get("name");
        if (!(name instanceof String s) || !SecretInputs.NAME.matcher(s).matches()) {
            problems.error(spec.location(), spec.address() + ".name", "a requester secret name must be 1 to 64 of"
                    + " A-Z a-z 0-9 _ - (the SMS refuses others), found '" + name + "'");
        }
        SecretInputs.requireSecret(spec, "value", problems);
        SecretInputs.requireMaps(spec, problems);
    }

    @Override
    SecretSlot slot(Inputs in, Wallet wallet) {
        String name = in.string("name");
        if (!SecretInputs.NAME.matcher(name).matches()) {
            throw new TeeflowException(in.owner() + ": requester secret name '" + name + "' must be 1 to 64 of A-Z a-z 0-9 _ -");
        }
        return SecretSlot.requester(wallet.address(), name);
    }

    @Override
    Prepared prepare(StepContext ctx, Wallet wallet) {
        return new Prepared(SecretInputs.limited(ctx.address(), "value of secret '" + ctx.inputs().string("name") + "'",
                ctx.inputs().secret("value").text()));
    }
}
