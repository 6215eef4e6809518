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
        Optional<Outputs> previous = ctx.previousOutputs();
        if (previous.isPresent() && missingFileOnly(ctx, previous.get()) && heldInTheSms(ctx, previous.get()).stillHolds()) {
            // A fresh runner (shared state, no local files): the SMS has this very key, only the local copy of the
            // public key is missing. Written back; nothing is sent.
            Outputs was = previous.get();
            Path file = publicFile(ctx, was).orElseThrow();
            java.nio.file.Files.createDirectories(file.getParent());
            writePublicFiles(ctx, keptPair(ctx).orElseThrow(), was.string("address").orElseThrow(), file);
            new ResultKeyLedger(chains(ctx).teeflowHome()).write(was.string("sms").orElseThrow(), was.string("address").orElseThrow(),
                    was.string("public-key-fingerprint").orElseThrow(), ctx.projectDir());
            ctx.log().info("restored the public key file from the kept key pair; the SMS has it already, nothing sent");
            return was;
        }
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
        Check held = heldInTheSms(ctx, recorded);
        if (held.stillHolds() && missingFileOnly(ctx, recorded)) {
            return Check.restorable("restore: the public key file " + publicFile(ctx, recorded).map(Path::getFileName).orElseThrow()
                    + " is not on this machine; written again from the kept key pair (the SMS has it already: nothing sent)");
        }
        return held;
    }

    /** The recorded public key file is missing, and the kept (or given) key pair is the one recorded. */
    private static boolean missingFileOnly(StepContext ctx, Outputs recorded) {
        Optional<Path> file = publicFile(ctx, recorded);
        Optional<String> fingerprint = recorded.string("public-key-fingerprint");
        if (file.isEmpty() || java.nio.file.Files.exists(file.get()) || fingerprint.isEmpty()) {
            return false;
        }
        return keptPair(ctx).map(p -> RsaKeys.fingerprint(p.getPublic()).equals(fingerprint.get())).orElse(false);
    }

    private static Optional<Path> publicFile(StepContext ctx, Outputs recorded) {
        return recorded.get("public-key") instanceof Outputs.FileOutput f
                ? Optional.of(f.path().isAbsolute() ? f.path() : ctx.projectDir().resolve(f.path())) : Optional.empty();
    }

    /** The key pair this step uses: the one given, else the one kept; none when neither parses. */
    private static Optional<KeyPair> keptPair(StepContext ctx) {
        Optional<Secret> key = ctx.inputs().optionalSecret(SHARED_KEY).or(() -> ctx.storedSecret(PRIVATE_KEY));
        try {
            return key.map(k -> RsaKeys.fromPrivatePem(k.text()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Check heldInTheSms(StepContext ctx, Outputs recorded) {
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
        writePublicFiles(ctx, pair, wallet.address(), publicFile);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("public-key", new Outputs.FileOutput(publicFile));
        extra.put("public-key-fingerprint", RsaKeys.fingerprint(pair.getPublic()));
        extra.put(PRIVATE_KEY, ref);
        // iExec's post-compute wants the PEM base64-encoded; a raw PEM makes tasks fail
        String value = Base64.getEncoder().encodeToString(publicPem.getBytes(StandardCharsets.UTF_8));
        return new Prepared(value, extra);
    }

    /** The public key file, and with {@code key-files} the iExec CLI's copies of the pair. */
    private static void writePublicFiles(StepContext ctx, KeyPair pair, String walletAddress, Path publicFile) throws java.io.IOException {
        String publicPem = RsaKeys.publicPem(pair.getPublic());
        AtomicFiles.write(publicFile, publicPem.getBytes(StandardCharsets.UTF_8), false);
        if (ctx.inputs().bool("key-files", false)) {
            Path dir = ctx.projectDir().resolve(".secrets").resolve("beneficiary");
            AtomicFiles.write(dir.resolve(walletAddress + "_key"),
                    RsaKeys.privatePem(pair.getPrivate()).getBytes(StandardCharsets.UTF_8), true);
            AtomicFiles.write(dir.resolve(walletAddress + "_key.pub"), publicPem.getBytes(StandardCharsets.UTF_8), false);
            ctx.log().info("wrote .secrets/beneficiary/" + walletAddress + "_key (mode 0600) for the iexec CLI");
        }
    }
}
