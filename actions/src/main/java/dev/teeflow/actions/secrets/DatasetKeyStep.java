package dev.teeflow.actions.secrets;

import dev.teeflow.actions.chain.Wallet;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Field;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.StepSchema;
import dev.teeflow.engine.spi.StepContext;

/**
 * {@code sms.dataset-key}: a dataset's encryption key as the SMS's web3 secret for the dataset
 * address, signed by the dataset's owner (the SMS checks {@code owner()} on chain). Write-once.
 *
 * <p>Inputs: {@code dataset} (the deployed dataset's address, e.g. {@code ${{ dataset.x.deploy.address }}}),
 * {@code key} (the base64 key, e.g. {@code ${{ dataset.x.encrypt.key }}}), {@code chain},
 * {@code wallet} (the dataset owner), optional {@code tee-framework}.
 */
public final class DatasetKeyStep extends SmsSecretStep {
    public static final String ID = "sms.dataset-key";

    @Override
    public String id() {
        return ID;
    }

    static final StepSchema SCHEMA = schema("Pushes a dataset's key to the SMS, signed by the dataset's owner, so that"
                    + " enclaves can decrypt it.",
            Field.text("dataset").required().doc("the dataset's address (normally the deploy step's output)"),
            Field.secret("key").required().doc("the dataset key (normally the encrypt step's output)"))
            .build();

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    @Override
    public void validate(StepSpec spec, Problems problems) {
        SecretInputs.addressForm(spec, "dataset", problems);
    }

    @Override
    SecretSlot slot(Inputs in, Wallet wallet, String fingerprint) {
        return SecretSlot.dataset(SecretInputs.address(in.owner(), "dataset", in.string("dataset")));
    }

    @Override
    Prepared prepare(StepContext ctx, Wallet wallet) {
        return new Prepared(SecretInputs.limited(ctx.address(), "dataset key", ctx.inputs().secret("key").text().strip()));
    }
}
