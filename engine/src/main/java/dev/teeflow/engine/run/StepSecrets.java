package dev.teeflow.engine.run;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps a fingerprint beside every secret a step makes (a dataset key, a result key) and checks it before
 * the secret is used: a truncated or altered key file must stop the run before it is pushed to a write-once
 * SMS or encrypts anything, and must never be taken for "lost, make a new one".
 *
 * <p>The fingerprint is an HMAC under the project key (never a plain hash of a secret), kept as
 * {@code secrets/<address>/<name>.fingerprint}. It is written before the secret, so an interrupted write
 * shows as damage of a step that runs again anyway; secrets kept by older versions have none and are
 * checked only for being empty.
 */
public final class StepSecrets {
    static final String SUFFIX = ".fingerprint";

    private final StateStore store;
    private final Supplier<byte[]> projectKey;

    public StepSecrets(StateStore store, Supplier<byte[]> projectKey) {
        this.store = store;
        this.projectKey = projectKey;
    }

    /** Keeps {@code value} as secret {@code name} of {@code address}, with its fingerprint. */
    void write(String address, String name, byte[] value) {
        store.writeSecret(address, name + SUFFIX, fingerprint(address, name, value).getBytes(StandardCharsets.US_ASCII));
        store.writeSecret(address, name, value);
    }

    /** The secret, checked; empty when it is missing. Throws when it is damaged. */
    Optional<byte[]> read(String address, String name) {
        Optional<byte[]> value = store.readSecret(address, name);
        value.ifPresent(v -> damage(address, name, v).ifPresent(why -> {
            throw new TeeflowException(why);
        }));
        return value;
    }

    /** Why the kept secret is damaged, if it is (a missing secret is not damage: see {@link #read}). */
    Optional<String> damage(String address, String name) {
        Optional<byte[]> value;
        try {
            value = store.readSecret(address, name);
        } catch (TeeflowException unreadable) {
            return Optional.of(message(address, name, "it cannot be read (" + unreadable.getMessage() + ")"));
        }
        return value.flatMap(v -> damage(address, name, v));
    }

    private Optional<String> damage(String address, String name, byte[] value) {
        if (value.length == 0) {
            return Optional.of(message(address, name, "it is empty"));
        }
        Optional<byte[]> recorded = store.readSecret(address, name + SUFFIX);
        if (recorded.isEmpty()) {
            return Optional.empty(); // kept by an older teeflow: nothing to compare with
        }
        byte[] now = fingerprint(address, name, value).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(now, recorded.get())) {
            return Optional.of(message(address, name, "its content (" + value.length + " bytes) no longer matches the "
                    + "fingerprint recorded when it was made"));
        }
        return Optional.empty();
    }

    private String fingerprint(String address, String name, byte[] value) {
        byte[] label = ("teeflow step secret\0" + address + "/" + name + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[label.length + value.length];
        System.arraycopy(label, 0, data, 0, label.length);
        System.arraycopy(value, 0, data, label.length, value.length);
        return "hmac-sha256:" + CacheKey.hmac(projectKey.get(), data);
    }

    private String message(String address, String name, String what) {
        return "the kept secret " + SecretRef.step(address, name) + " (" + store.secretLocation(address, name)
                + ") is damaged: " + what + ". It is not used and no new one is made, because it may already be in use"
                + " (pushed to the write-once SMS, encrypting a published dataset): put back an intact copy, or run"
                + " 'teeflow state repair " + address + "' to see what is known and choose";
    }
}
