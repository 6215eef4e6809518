package dev.teeflow.actions.secrets;

import dev.teeflow.actions.chain.Wallet;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Field;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.StepOutput;
import dev.teeflow.engine.spi.StepSchema;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.files.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sms.result-encryption-key}: the beneficiary's result encryption key. Makes a 4096-bit RSA
 * key pair once (the private key kept as a step secret, mode 0600), and pushes base64(public PEM) as
 * the wallet's web2 secret {@code iexec-result-encryption-public-key}, which the worker's
 * post-compute uses to encrypt results. Updated with PUT when the SMS holds another key.
 *
 * <p>Inputs: {@code chain}, {@code wallet} (the beneficiary), optional {@code tee-framework},
 * optional {@code key-files} (true: also write {@code .secrets/beneficiary/<address>_key} and
 * {@code _key.pub} in the project, where {@code iexec result decrypt} looks).
 * Outputs, besides the common ones: {@code public-key} (PEM file), {@code public-key-fingerprint}
 * ({@code sha256:} of the DER public key), {@code private-key} (secret reference; the fetch step
 * decrypts results with it).
 */
public final class ResultEncryptionKeyStep extends SmsSecretStep {
    public static final String ID = "sms.result-encryption-key";
    /** The web2 secret name the worker reads. */
    public static final String SECRET_NAME = "iexec-result-encryption-public-key";
    static final String PRIVATE_KEY = "private-key";
    /** Input: a private key given by the user (shared with another pipeline or the iExec CLI). */
    static final String SHARED_KEY = "private-key";

    @Override
    public Outputs run(StepContext ctx) throws Exception {
        Outputs out = super.run(ctx);
        ResultKeyLedger ledger = new ResultKeyLedger(chains(ctx).teeflowHome());
        String sms = out.string("sms").orElseThrow();
        String wallet = out.string("address").orElseThrow();
        String fingerprint = out.string("public-key-fingerprint").orElseThrow();
        ledger.otherKey(sms, wallet, fingerprint).ifPresent(why -> ctx.log().warn("took back the result encryption key"
                + " from " + ledger.read(sms, wallet).map(ResultKeyLedger.Entry::pipeline).orElse("another pipeline")
                + ": its deals now give results it cannot decrypt until it takes the key back or shares this one"));
        ledger.write(sms, wallet, fingerprint, ctx.projectDir());
        return out;
    }

    /** Still there, and still this pipeline's key as far as the teeflows of this machine know. */
    @Override
    public Check verify(StepContext ctx, Outputs recorded) {
        Check there = super.verify(ctx, recorded);
        if (!there.stillHolds()) {
            return there;
        }
        Optional<String> sms = recorded.string("sms");
        Optional<String> wallet = recorded.string("address");
        Optional<String> fingerprint = recorded.string("public-key-fingerprint");
        if (sms.isEmpty() || wallet.isEmpty() || fingerprint.isEmpty()) {
            return there;
        }
        return new ResultKeyLedger(chains(ctx).teeflowHome()).otherKey(sms.get(), wallet.get(), fingerprint.get())
                .map(Check::restorable).orElse(there);
    }

    @Override
    public String id() {
        return ID;
    }

    static final StepSchema SCHEMA = schema("Makes (or takes) the RSA key pair results are encrypted with and pushes"
                    + " its public key to the SMS as the wallet's iexec-result-encryption-public-key.",
            Field.bool("key-files").withDefault(false).doc("also write the key pair where the iExec CLI expects it"),
            Field.secret(SHARED_KEY).doc("bring a private key (PEM) shared with another pipeline or the iExec CLI"))
            .output(StepOutput.text("public-key", "the public key, PEM"))
            .output(StepOutput.text("public-key-fingerprint", "its fingerprint"))
            .output(StepOutput.secret(PRIVATE_KEY, "the private key, kept in the state directory"))
            .build();

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    @Override
    SecretSlot slot(Inputs in, Wallet wallet, String fingerprint) {
        return SecretSlot.web2(wallet.address(), SECRET_NAME);
    }

    @Override
    Prepared prepare(StepContext ctx, Wallet wallet) throws Exception {
        Optional<Secret> given = ctx.inputs().optionalSecret(SHARED_KEY);
        Optional<Secret> kept = ctx.storedSecret(PRIVATE_KEY);
        KeyPair pair;
        SecretRef ref;
        if (given.isPresent()) {
            ctx.redactor().register(given.get());
            try {
                pair = RsaKeys.fromPrivatePem(given.get().text());
            } catch (RuntimeException e) {
                throw new TeeflowException(ctx.address() + ": result.private-key (" + given.get().source()
                        + ") is not an RSA private key in PEM form (PKCS#8 'BEGIN PRIVATE KEY' or PKCS#1 'BEGIN RSA PRIVATE KEY')");
            }
            ref = given.get().source();
            ctx.log().info("using the shared result encryption key " + ref);
        } else if (kept.isPresent()) {
            pair = RsaKeys.fromPrivatePem(kept.get().text());
            ref = kept.get().source();
            ctx.log().info("using the kept result encryption key pair");
        } else {
            ctx.log().info("generating a " + RsaKeys.BITS + "-bit RSA result encryption key pair");
            pair = RsaKeys.generate();
            ref = ctx.storeSecret(PRIVATE_KEY, RsaKeys.privatePem(pair.getPrivate()).getBytes(StandardCharsets.UTF_8));
        }
        String publicPem = RsaKeys.publicPem(pair.getPublic());
        Path publicFile = ctx.workDir().resolve("public-key.pem");
        AtomicFiles.write(publicFile, publicPem.getBytes(StandardCharsets.UTF_8), false);
        if (ctx.inputs().bool("key-files", false)) {
            Path dir = ctx.projectDir().resolve(".secrets").resolve("beneficiary");
            AtomicFiles.write(dir.resolve(wallet.address() + "_key"),
                    RsaKeys.privatePem(pair.getPrivate()).getBytes(StandardCharsets.UTF_8), true);
            AtomicFiles.write(dir.resolve(wallet.address() + "_key.pub"), publicPem.getBytes(StandardCharsets.UTF_8), false);
            ctx.log().info("wrote .secrets/beneficiary/" + wallet.address() + "_key (mode 0600) for the iexec CLI");
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("public-key", new Outputs.FileOutput(publicFile));
        extra.put("public-key-fingerprint", RsaKeys.fingerprint(pair.getPublic()));
        extra.put(PRIVATE_KEY, ref);
        // iExec's post-compute wants the PEM base64-encoded; a raw PEM makes tasks fail
        String value = Base64.getEncoder().encodeToString(publicPem.getBytes(StandardCharsets.UTF_8));
        return new Prepared(value, extra);
    }
}
