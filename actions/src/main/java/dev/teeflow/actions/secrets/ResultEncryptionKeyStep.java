package dev.teeflow.actions.secrets;

import dev.teeflow.actions.chain.Wallet;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.files.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<String> outputNames(StepSpec spec) {
        Set<String> names = new LinkedHashSet<>(super.outputNames(spec));
        names.addAll(Set.of("public-key", "public-key-fingerprint", PRIVATE_KEY));
        return names;
    }

    @Override
    SecretSlot slot(Inputs in, Wallet wallet, String fingerprint) {
        return SecretSlot.web2(wallet.address(), SECRET_NAME);
    }

    @Override
    Prepared prepare(StepContext ctx, Wallet wallet) throws Exception {
        Optional<Secret> kept = ctx.storedSecret(PRIVATE_KEY);
        KeyPair pair;
        SecretRef ref;
        if (kept.isPresent()) {
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
