package dev.teeflow.actions.secrets;

import dev.teeflow.actions.chain.Wallet;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Field;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.StepProblems;
import dev.teeflow.engine.spi.StepSchema;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;

/**
 * {@code sms.requester-secret}: a requester secret (what a task reads as
 * {@code IEXEC_REQUESTER_SECRET_<n>}), owned by the wallet's address. Write-once.
 *
 * <p>Inputs: {@code name} (the secret's name, {@code [A-Za-z0-9_-]{1,64}}), {@code value} (a secret
 * reference), {@code chain}, {@code wallet}, optional {@code tee-framework}, optional {@code versioned}.
 *
 * <p>The SMS never lets a requester secret change. With {@code versioned: true} the name pushed is
 * {@code <name>-<12 hex of the value's HMAC fingerprint>}, so a new value gets a new name instead of an
 * error; the {@code name} output says which, and a run refers to it. The suffix is keyed with this
 * step's secret fingerprint key, so the name (which ends up on chain in a deal's params) says nothing
 * about the value.
 */
public final class RequesterSecretStep extends SmsSecretStep {
    public static final String ID = "sms.requester-secret";

    @Override
    public String id() {
        return ID;
    }

    static final StepSchema SCHEMA = schema("Pushes a requester secret to the SMS, for the tasks of this wallet's deals.",
            Field.text("name").required().doc("the secret's name (1 to 64 of A-Z a-z 0-9 _ -)"),
            Field.secret("value").required().doc("the secret"),
            Field.bool("versioned").withDefault(false)
                    .doc("name it after its value's fingerprint, so that a changed value is a new secret"))
            .build();

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    @Override
    public void validate(StepSpec spec, Problems problems) {
        Object name = spec.inputs().get("name");
        if (name instanceof String s && !SecretInputs.NAME.matcher(s).matches()) {
            StepProblems.error(spec, problems, "name", "a requester secret name must be 1 to 64 of"
                    + " A-Z a-z 0-9 _ - (the SMS refuses others), found '" + name + "'");
        }
        if (Boolean.TRUE.equals(spec.inputs().get("versioned")) && name instanceof String s && s.length() > MAX_VERSIONED_BASE) {
            StepProblems.error(spec, problems, "name", "a versioned secret name may have at most "
                    + MAX_VERSIONED_BASE + " characters (the SMS allows 64, and the version suffix takes "
                    + (VERSION_SUFFIX + 1) + ")");
        }
    }

    /** Says in the plan that a changed value of a plain (not versioned) secret will be refused by the SMS. */
    @Override
    public String preview(StepContext ctx) {
        Inputs in = ctx.inputs();
        if (in.bool("versioned", false) || ctx.previousOutputs().isEmpty()) {
            return null;
        }
        Outputs prev = ctx.previousOutputs().get();
        String name = in.string("name");
        java.util.Optional<String> pushed = prev.string("fingerprint").filter(f -> !f.equals(UNKNOWN))
                .filter(f -> prev.string("name").map(name::equals).orElse(false));
        java.util.Optional<String> now = Fingerprints.existing(ctx, in.secret("value").text());
        if (pushed.isPresent() && now.isPresent() && !pushed.equals(now)) {
            return "will fail: the value of requester secret '" + name + "' changed, and the SMS never lets it change"
                    + " (write-once); set versioned: true on it (secrets: { " + name + ": { value: ..., versioned: true } })"
                    + " or give it a new name";
        }
        return null;
    }

    @Override
    boolean nameCarriesValue(Inputs in) {
        return in.bool("versioned", false);
    }

    @Override
    SecretSlot slot(Inputs in, Wallet wallet, String fingerprint) {
        String name = versionedName(in.string("name"), in.bool("versioned", false), fingerprint);
        if (!SecretInputs.NAME.matcher(name).matches()) {
            throw new TeeflowException(in.owner() + ": requester secret name '" + name + "' must be 1 to 64 of A-Z a-z 0-9 _ -");
        }
        return SecretSlot.requester(wallet.address(), name);
    }

    /** The SMS name for {@code base}: itself, or with the value's fingerprint suffix when versioned. */
    static String versionedName(String base, boolean versioned, String fingerprint) {
        String hex = fingerprint.substring(fingerprint.indexOf(':') + 1);
        return versioned ? base + "-" + hex.substring(0, VERSION_SUFFIX) : base;
    }

    /** Hex digits of the fingerprint appended to a versioned name (48 bits: no collision in practice). */
    static final int VERSION_SUFFIX = 12;

    /** Longest base name that still fits the SMS's 64 characters once versioned. */
    static final int MAX_VERSIONED_BASE = 64 - 1 - VERSION_SUFFIX;

    @Override
    Prepared prepare(StepContext ctx, Wallet wallet) {
        return new Prepared(SecretInputs.limited(ctx.address(), "value of secret '" + ctx.inputs().string("name") + "'",
                ctx.inputs().secret("value").text()));
    }
}
