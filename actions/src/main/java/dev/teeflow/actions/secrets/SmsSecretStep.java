package dev.teeflow.actions.secrets;

import dev.teeflow.actions.chain.ChainConfig;
import dev.teeflow.actions.chain.ChainResolver;
import dev.teeflow.actions.chain.Wallet;
import dev.teeflow.actions.chain.Wallets;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.protocol.sms.SmsClient;
import dev.teeflow.protocol.sms.SmsException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What every SMS secret step does: ask the SMS ({@code HEAD}) whether the secret is there, push it
 * ({@code POST}) when it is not, and keep an HMAC fingerprint of the pushed value so that a later run
 * knows whether the SMS holds the same value (up to date), a changed one (write-once secrets: a clear
 * error, the way out being a new name; updatable ones: {@code PUT}), or one pushed by someone else
 * (a warning). {@link #verify} asks the SMS whether the secret is still there.
 *
 * <p>Common inputs: {@code chain} ({@link dev.teeflow.actions.chain.Targets#inputFor}), {@code wallet}
 * ({@link Wallets#inputFor}), optional {@code tee-framework} (which of the chain's SMSs).
 * Outputs: {@code sms}, {@code kind}, {@code address}, {@code name}, {@code signer},
 * {@code fingerprint} ({@code unknown} when the value in the SMS is not known), {@code status}
 * ({@code pushed}, {@code unchanged}, {@code updated}, {@code present-unknown}).
 */
abstract class SmsSecretStep implements StepType, dev.teeflow.engine.spi.Adoptable {
    static final String UNKNOWN = "unknown";
    static final Set<String> COMMON_OUTPUTS = Set.of("sms", "kind", "address", "name", "signer", "fingerprint", "status");

    /** The secret this step pushes, for the wallet that signs. */
    abstract SecretSlot slot(Inputs in, Wallet wallet, String fingerprint);

    /** The value to push (the text the SMS stores) and any outputs of the step's own. */
    abstract Prepared prepare(StepContext ctx, Wallet wallet) throws Exception;

    /**
     * Whether the secret's name itself proves which value it holds (a versioned requester secret's name
     * ends with the value's fingerprint under this step's key), so a secret found there is this value.
     */
    boolean nameCarriesValue(Inputs in) {
        return false;
    }

    /** A value ready to push, with extra outputs (e.g. a key pair's fingerprint). */
    record Prepared(String value, Map<String, Object> extraOutputs) {
        Prepared(String value) {
            this(value, Map.of());
        }
    }

    @Override
    public Effect effect() {
        return Effect.EXTERNAL;
    }

    @Override
    public Set<String> outputNames(StepSpec spec) {
        return new LinkedHashSet<>(COMMON_OUTPUTS);
    }

    @Override
    public List<InputFile> inputFiles(Inputs inputs) {
        return dev.teeflow.actions.deploy.ChainAccess.inputFiles(inputs);
    }

    /** Which chain resolver to use; tests of devnet wallets override nothing, the environment decides. */
    ChainResolver chains() {
        return ChainResolver.fromEnvironment();
    }

    @Override
    public Outputs run(StepContext ctx) throws Exception {
        Inputs in = ctx.inputs();
        ChainConfig chain = chains().chain(in.child("chain"), ctx.projectDir());
        Wallet wallet = Wallets.load(in.child("wallet"), ctx, chains());
        URI smsUrl = chain.smsUrl(in.optionalString("tee-framework").orElse(null));
        SmsClient sms = client(ctx, smsUrl);
        Prepared prepared = prepare(ctx, wallet);
        String value = prepared.value();
        ctx.redactor().register(value);
        String fingerprint = Fingerprints.of(ctx, value);
        SecretSlot slot = slot(in, wallet, fingerprint);
        Optional<String> known = knownFingerprint(ctx, slot, smsUrl);
        ctx.log().info(slot.describe() + " on " + chain.describe() + ", SMS " + smsUrl + ", signer " + wallet.describe());

        String status;
        String recorded = fingerprint;
        if (!exists(ctx, sms, slot, wallet, smsUrl)) {
            status = push(ctx, sms, slot, wallet, smsUrl, value, fingerprint, known);
            if (status.equals("present-unknown")) {
                recorded = UNKNOWN;
            }
        } else if (!slot.writeOnce()) {
            // The SMS never shows a value: what it holds may have been replaced by another pipeline or tool
            // since this step last pushed, so a run of an updatable secret always puts this value back.
            call(ctx, slot, wallet, smsUrl, () -> slot.update(sms, wallet.keyPair(), value));
            ctx.log().info(known.isEmpty() ? "replaced a value of unknown origin (PUT)"
                    : known.get().equals(fingerprint) ? "put this value in the SMS again (PUT), whatever replaced it meanwhile"
                    : "replaced the changed value (PUT)");
            status = "updated";
        } else if (known.isPresent() && known.get().equals(fingerprint) || nameCarriesValue(in)) {
            ctx.log().info("already in the SMS with the same value; nothing to push");
            status = "unchanged";
        } else if (known.isPresent()) {
            throw changedWriteOnce(ctx, slot, smsUrl);
        } else {
            warnUnknown(ctx, slot);
            status = "present-unknown";
            recorded = UNKNOWN;
        }

        Outputs.Builder out = Outputs.builder()
                .put("sms", smsUrl.toString())
                .put("kind", slot.kind().name().toLowerCase(java.util.Locale.ROOT))
                .put("address", slot.address())
                .put("name", slot.name())
                .put("signer", wallet.address())
                .put("fingerprint", recorded)
                .put("status", status);
        prepared.extraOutputs().forEach((k, v) -> {
            if (v instanceof dev.teeflow.engine.secret.SecretRef ref) {
                out.secret(k, ref);
            } else if (v instanceof Outputs.FileOutput f) {
                out.file(k, f.path());
            } else {
                out.put(k, v);
            }
        });
        return out.build();
    }

    /**
     * {@code teeflow import}: a write-once secret that the SMS already holds is taken over as "present, value
     * unknown" (the SMS never shows a value, so that is all that can be known). An updatable secret (the
     * result key) is left to apply, which puts this pipeline's value in; a missing one is pushed by apply.
     */
    @Override
    public Outputs adopt(StepContext ctx) throws Exception {
        Inputs in = ctx.inputs();
        ChainConfig chain = chains().chain(in.child("chain"), ctx.projectDir());
        Wallet wallet = Wallets.load(in.child("wallet"), ctx, chains());
        URI smsUrl = chain.smsUrl(in.optionalString("tee-framework").orElse(null));
        if (nameCarriesValue(in)) {
            throw new dev.teeflow.engine.spi.NothingToAdoptException("a versioned secret is named by teeflow from its"
                    + " value: apply pushes it under that name");
        }
        SecretSlot slot = slot(in, wallet, UNKNOWN);
        if (!slot.writeOnce()) {
            throw new dev.teeflow.engine.spi.NothingToAdoptException(slot.describe()
                    + " is updatable: apply puts this pipeline's value in the SMS");
        }
        if (!exists(ctx, client(ctx, smsUrl), slot, wallet, smsUrl)) {
            throw new dev.teeflow.engine.spi.NothingToAdoptException(slot.describe() + " is not in the SMS at " + smsUrl
                    + ": apply pushes it");
        }
        ctx.log().info(slot.describe() + " is in the SMS at " + smsUrl + " (its value cannot be read back)");
        return Outputs.builder()
                .put("sms", smsUrl.toString())
                .put("kind", slot.kind().name().toLowerCase(java.util.Locale.ROOT))
                .put("address", slot.address())
                .put("name", slot.name())
                .put("signer", wallet.address())
                .put("fingerprint", UNKNOWN)
                .put("status", "present-unknown")
                .build();
    }

    /** POSTs the value; a 409 (someone pushed it in between) is treated like a secret found present. */
    private String push(StepContext ctx, SmsClient sms, SecretSlot slot, Wallet wallet, URI smsUrl, String value,
                        String fingerprint, Optional<String> known) {
        // Write-once: record what is about to be pushed, so that a run interrupted after the POST knows
        // the SMS holds this value.
        Map<String, Object> intent = new LinkedHashMap<>();
        intent.put("sms", smsUrl.toString());
        intent.put("slot", slot.describe());
        intent.put("fingerprint", fingerprint);
        ctx.recordIntent(intent);
        try {
            slot.create(sms, wallet.keyPair(), value);
            ctx.log().info("pushed to the SMS");
            return "pushed";
        } catch (SmsException.AlreadyExists e) {
            if (!slot.writeOnce()) {
                call(ctx, slot, wallet, smsUrl, () -> slot.update(sms, wallet.keyPair(), value));
                ctx.log().info("someone pushed it meanwhile; replaced it (PUT)");
                return "updated";
            }
            if (known.isPresent() && !known.get().equals(fingerprint)) {
                throw changedWriteOnce(ctx, slot, smsUrl);
            }
            warnUnknown(ctx, slot);
            return "present-unknown";
        } catch (SmsException e) {
            throw SmsFailures.explain(ctx.address(), slot, wallet.address(), smsUrl, e);
        }
    }

    private boolean exists(StepContext ctx, SmsClient sms, SecretSlot slot, Wallet wallet, URI smsUrl) {
        try {
            return slot.exists(sms);
        } catch (SmsException e) {
            throw SmsFailures.explain(ctx.address(), slot, wallet.address(), smsUrl, e);
        }
    }

    private void call(StepContext ctx, SecretSlot slot, Wallet wallet, URI smsUrl, Runnable r) {
        try {
            r.run();
        } catch (SmsException e) {
            throw SmsFailures.explain(ctx.address(), slot, wallet.address(), smsUrl, e);
        }
    }

    /**
     * The fingerprint of the value this step last put in this same secret: from its last successful
     * run, or from an interrupted run's intent.
     */
    private static Optional<String> knownFingerprint(StepContext ctx, SecretSlot slot, URI smsUrl) {
        Optional<String> fromOutputs = ctx.previousOutputs().flatMap(prev -> {
            Optional<SecretSlot> recorded = recordedSlot(prev);
            boolean sameSms = prev.string("sms").map(smsUrl.toString()::equals).orElse(false);
            Optional<String> fp = prev.string("fingerprint").filter(f -> !f.equals(UNKNOWN));
            return recorded.isPresent() && recorded.get().sameAs(slot) && sameSms ? fp : Optional.empty();
        });
        if (fromOutputs.isPresent()) {
            return fromOutputs;
        }
        return ctx.intent().filter(i -> smsUrl.toString().equals(i.get("sms")) && slot.describe().equals(i.get("slot")))
                .map(i -> (String) i.get("fingerprint"));
    }

    static Optional<SecretSlot> recordedSlot(Outputs recorded) {
        Optional<String> kind = recorded.string("kind");
        Optional<String> address = recorded.string("address");
        if (kind.isEmpty() || address.isEmpty()) {
            return Optional.empty();
        }
        try {
            SecretSlot.Kind k = SecretSlot.Kind.valueOf(kind.get().toUpperCase(java.util.Locale.ROOT));
            return Optional.of(new SecretSlot(k, address.get(), recorded.string("name").orElse("")));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static TeeflowException changedWriteOnce(StepContext ctx, SecretSlot slot, URI smsUrl) {
        String wayOut = switch (slot.kind()) {
            case REQUESTER -> "let teeflow name each value apart with 'versioned: true' (secrets: { " + slot.name()
                    + ": { value: env:..., versioned: true } }, see docs/secrets.md), or give the secret a new name in"
                    + " the pipeline (e.g. " + slot.name() + "_v2 under secrets:) and refer to that name where the task uses it";
            case DATASET -> "a dataset's key cannot change: encrypt under a new key means a new dataset"
                    + " (new checksum, so a new dataset address), or keep the key that was pushed";
            case APP -> "deploy a new app (a changed image or name gives a new address) to use another developer secret";
            case WEB2 -> "update it";
        };
        return new TeeflowException(ctx.address() + ": the " + slot.describe() + " is already in the SMS at " + smsUrl
                + " with a different value, and the SMS never lets it change (write-once). To use the new value, "
                + wayOut + ".");
    }

    private static void warnUnknown(StepContext ctx, SecretSlot slot) {
        ctx.log().warn("the " + slot.describe() + " is already in the SMS, but not pushed by this pipeline, so its"
                + " value is unknown; keeping it. If tasks need the value given here, use a new secret name.");
    }

    /**
     * One SMS client per URL per run (tests may put their own in the shared map first), retrying transient
     * failures under the run's policy and telling each retry to this step's log.
     */
    static SmsClient client(StepContext ctx, URI smsUrl) {
        return ctx.shared(clientKey(smsUrl), SmsClient.class, () -> new SmsClient(smsUrl))
                .withRetry(dev.teeflow.actions.net.Retries.policy(ctx), ctx.log()::warn);
    }

    static String clientKey(URI smsUrl) {
        return "teeflow.sms." + smsUrl;
    }

    @Override
    public Check verify(StepContext ctx, Outputs recorded) {
        Optional<SecretSlot> slot = recordedSlot(recorded);
        Optional<String> sms = recorded.string("sms");
        if (slot.isEmpty() || sms.isEmpty()) {
            return Check.gone("the record does not say which secret was pushed");
        }
        URI url = URI.create(sms.get());
        try {
            return slot.get().exists(client(ctx, url)) ? Check.holds()
                    : Check.gone("the SMS at " + url + " no longer has the " + slot.get().describe());
        } catch (SmsException e) {
            return Check.unknown("cannot ask the SMS at " + url + " (" + e.getMessage() + ")");
        }
    }

    @Override
    public String preview(StepContext ctx) {
        return null;
    }
}
