package dev.teeflow.engine.state;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The passphrase that encrypts a state directory at rest, and the ciphers derived from it (one per
 * directory, derived once: the key derivation is slow on purpose).
 */
public final class StateEncryption {
    private final char[] passphrase;
    private final int iterationsForNew;
    private final Map<Path, StateCipher> ciphers = new HashMap<>();

    public StateEncryption(char[] passphrase) {
        this(passphrase, StateCipher.DEFAULT_ITERATIONS);
    }

    /** Tests use fewer iterations for new directories; existing ones keep what they were made with. */
    public StateEncryption(char[] passphrase, int iterationsForNew) {
        this.passphrase = passphrase.clone();
        this.iterationsForNew = iterationsForNew;
    }

    public synchronized StateCipher cipherFor(Path root) {
        Path key = root.toAbsolutePath().normalize();
        StateCipher c = ciphers.get(key);
        if (c == null) {
            c = StateCipher.open(key, passphrase, iterationsForNew);
            ciphers.put(key, c);
        }
        return c;
    }

    @Override
    public String toString() {
        return "StateEncryption[passphrase hidden]";
    }
}
