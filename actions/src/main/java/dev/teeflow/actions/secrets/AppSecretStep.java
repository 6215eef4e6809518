package dev.teeflow.actions.secrets;

import dev.teeflow.actions.chain.Wallet;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Field;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.StepSchema;
import dev.teeflow.engine.spi.StepContext;

/**
 * {@code sms.app-secret}: the app developer secret (what the app reads as
 * {@code IEXEC_APP_DEVELOPER_SECRET}), signed by the app's owner (the SMS checks {@code owner()} on
 * chain). Write-once.
 *
 * <p>Inputs: {@code app} (the deployed app's address, e.g. {@code ${{ app.x.deploy.address }}}),
 * {@code value} (a secret reference), {@code chain}, {@code wallet} (the app owner), optional
 * {@code tee-framework}.
 */
public final class AppSecretStep extends SmsSecretStep {
    public static final String ID = "sms.app-secret";

    @Override
    public String id() {
        return ID;
    }

    static final StepSchema SCHEMA = schema("Pushes the app developer secret (IEXEC_APP_DEVELOPER_SECRET) to the SMS,"
                    + " signed by the app's owner.",
            Field.text("app").required().doc("the app's address (normally the deploy step's output)"),
            Field.secret("value").required().doc("the secret"))
            .build();

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    @Override
    public void validate(StepSpec spec, Problems problems) {
        SecretInputs.addressForm(spec, "app", problems);
    }

    @Override
    SecretSlot slot(Inputs in, Wallet wallet, String fingerprint) {
        return SecretSlot.app(SecretInputs.address(in.owner(), "app", in.string("app")));
    }

    @Override
    Prepared prepare(StepContext ctx, Wallet wallet) {
        return new Prepared(SecretInputs.limited(ctx.address(), "app developer secret", ctx.inputs().secret("value").text()));
    }
}
