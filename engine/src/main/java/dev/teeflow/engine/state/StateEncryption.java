package dev.teeflow.engine.state;

import dev.teeflow.engine.TeeflowException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The passphrase or raw key that encrypts a state, and the ciphers derived from it (one per backend,
 * derived once: the key derivation is slow on purpose).
 */
public final class StateEncryption {
    /** A passphrase (stretched with PBKDF2) or a raw 32-byte AES key; exactly one is set. */
    record KeySource(char[] passphrase, byte[] rawKey) {
        static KeySource passphrase(char[] passphrase) {
            return new KeySource(passphrase, null);
        }

        @Override
        public String toString() {
            return "KeySource[hidden]";
        }
    }

    private final KeySource source;
    private final int iterationsForNew;
    private final Map<String, StateCipher> ciphers = new HashMap<>();

    public StateEncryption(char[] passphrase) {
        this(passphrase, StateCipher.DEFAULT_ITERATIONS);
    }

    /** Tests use fewer iterations for new directories; existing ones keep what they were made with. */
    public StateEncryption(char[] passphrase, int iterationsForNew) {
        this(KeySource.passphrase(passphrase.clone()), iterationsForNew);
    }

    private StateEncryption(KeySource source, int iterationsForNew) {
        this.source = source;
        this.iterationsForNew = iterationsForNew;
    }

    /**
     * Encryption under a raw AES-256 key given as text: 32 bytes in base64 (44 characters) or hex (64).
     * The key is never stretched, so it must be random, not a password.
     */
    public static StateEncryption ofRawKey(String text) {
        String t = text.strip();
        byte[] key;
        try {
            key = t.matches("[0-9a-fA-F]{64}") ? HexFormat.of().parseHex(t) : Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            key = new byte[0];
        }
        if (key.length != 32) {
            throw new TeeflowException("the state encryption key must be 32 random bytes in base64 (44 characters) or "
                    + "hex (64 characters); make one with: openssl rand -base64 32");
        }
        return new StateEncryption(new KeySource(null, key), StateCipher.DEFAULT_ITERATIONS);
    }

    /** The cipher of {@code backend}'s state, checked against (or written to) its encryption settings. */
    public synchronized StateCipher cipherFor(StateBackend backend) {
        String id = backend.kind() + " " + backend.location();
        StateCipher c = ciphers.get(id);
        if (c == null) {
            c = StateCipher.open(backend, source, iterationsForNew);
            ciphers.put(id, c);
        }
        return c;
    }

    /** The cipher of the local state directory {@code root}. */
    public StateCipher cipherFor(java.nio.file.Path root) {
        return cipherFor(new LocalStateBackend(root));
    }

    @Override
    public String toString() {
        return "StateEncryption[key hidden]";
    }
}
