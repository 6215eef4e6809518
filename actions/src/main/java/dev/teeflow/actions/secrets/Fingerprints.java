package dev.teeflow.actions.secrets;

import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.spi.StepContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 fingerprints of pushed secret values, under a random key each step keeps as a step
 * secret. The SMS never gives a value back, so the fingerprint in a step's outputs is how a later run
 * tells "the SMS holds this very value" from "the value changed". A plain hash would let anyone with
 * the state file test guesses of a short secret (an e-mail address); an HMAC under a key kept at
 * mode 0600 does not.
 */
final class Fingerprints {
    static final String KEY_NAME = "fingerprint-key";
    private static final String ALGORITHM = "HmacSHA256";

    private Fingerprints() {
    }

    /** The fingerprint of {@code value}, making the step's key on first use. */
    static String of(StepContext ctx, String value) {
        byte[] key = ctx.storedSecret(KEY_NAME).map(Secret::bytes).orElseGet(() -> {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            ctx.storeSecret(KEY_NAME, fresh);
            return fresh;
        });
        return hmac(key, value);
    }

    /** The fingerprint under the existing key only; empty when the step has no key yet. */
    static Optional<String> existing(StepContext ctx, String value) {
        return ctx.storedSecret(KEY_NAME).map(s -> hmac(s.bytes(), value));
    }

    static String hmac(byte[] key, String value) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return "hmac-sha256:" + HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
