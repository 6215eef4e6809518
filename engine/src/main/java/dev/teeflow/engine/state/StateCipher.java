package dev.teeflow.engine.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.teeflow.engine.TeeflowException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticated encryption of a state's sensitive blobs (step records, intents, step secrets, and on a
 * remote backend the project key): AES-256-GCM under a key derived from a passphrase with
 * PBKDF2-HMAC-SHA256, or under a raw 32-byte key. The salt, the iteration count and a key check (a known
 * text encrypted under the key) live in the blob {@code encryption.json} of the backend, so a wrong
 * passphrase is found before anything is read or written, and is one clear error.
 *
 * <p>Each blob is {@code TFENC1} + 12-byte random nonce + ciphertext + 16-byte tag. The blob's key in the
 * backend (its path inside the state directory) is the associated data: a record moved onto another step's
 * name fails to open, like any changed byte.
 */
public final class StateCipher {
    public static final String SETTINGS_FILE = "encryption.json";
    static final byte[] MAGIC = "TFENC1".getBytes(StandardCharsets.US_ASCII);
    static final int DEFAULT_ITERATIONS = 600_000; // OWASP's 2023 figure for PBKDF2-HMAC-SHA256
    private static final String KDF = "PBKDF2-HMAC-SHA256";
    private static final String RAW = "none (raw key)";
    private static final String CHECK_LABEL = "key-check";
    private static final byte[] CHECK_TEXT = "teeflow state key check".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final ThreadLocal<Cipher> DECRYPTING = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    });
    private final SecretKeySpec key;
    private final StateBackend backend;
    private final Map<String, Object> settings;

    private StateCipher(byte[] key, StateBackend backend, Map<String, Object> settings) {
        this.key = new SecretKeySpec(key, "AES");
        this.backend = backend;
        this.settings = settings;
    }

    /**
     * True while the plain files that were there when encryption was turned on are not all encrypted yet
     * (a run that died during that step leaves it true, and the next run finishes the job).
     */
    boolean migrating() {
        return Boolean.TRUE.equals(settings.get("migrating"));
    }

    void migrationDone() throws IOException {
        settings.remove("migrating");
        backend.put(SETTINGS_FILE, JSON.writeValueAsBytes(settings), StateBackend.ANY);
    }

    /** Whether {@code root} holds an encrypted state directory. */
    public static boolean isEncrypted(Path root) {
        return Files.exists(root.resolve(SETTINGS_FILE));
    }

    /** Whether the backend holds an encrypted state. */
    public static boolean isEncrypted(StateBackend backend) {
        return backend.get(SETTINGS_FILE).isPresent();
    }

    /**
     * The cipher of the state directory {@code root}: checks the passphrase against an existing
     * {@code encryption.json}, or makes one (new salt) when the directory is not encrypted yet.
     */
    public static StateCipher open(Path root, char[] passphrase) {
        return open(new LocalStateBackend(root), StateEncryption.KeySource.passphrase(passphrase), DEFAULT_ITERATIONS);
    }

    /**
     * The cipher of {@code backend}'s state: checks the key against its {@code encryption.json}, or makes
     * one (new salt) when the state is not encrypted yet. A wrong key writes nothing.
     */
    static StateCipher open(StateBackend backend, StateEncryption.KeySource source, int iterationsForNew) {
        String where = backend.location();
        if (source.passphrase() != null && source.passphrase().length == 0) {
            throw new TeeflowException("the state passphrase is empty; give a non-empty one (--state-passphrase env:NAME)");
        }
        try {
            Optional<StateBackend.Blob> existing = backend.get(SETTINGS_FILE);
            if (existing.isEmpty()) {
                StateCipher made = create(backend, source, iterationsForNew);
                try {
                    backend.put(SETTINGS_FILE, JSON.writeValueAsBytes(made.settings), StateBackend.ABSENT);
                    return made;
                } catch (ConflictException raced) {
                    existing = backend.get(SETTINGS_FILE); // another run turned encryption on first: use theirs
                    if (existing.isEmpty()) {
                        throw raced;
                    }
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> settings = JSON.readValue(existing.get().bytes(), LinkedHashMap.class);
            if (!(settings.get("check") instanceof String check)
                    || !(KDF.equals(settings.get("kdf")) || RAW.equals(settings.get("kdf")))) {
                throw new TeeflowException(backend.where(SETTINGS_FILE) + " is damaged (expected kdf, iterations, salt "
                        + "and check); it cannot be repaired without the files it protects");
            }
            byte[] derived;
            if (RAW.equals(settings.get("kdf"))) {
                if (source.rawKey() == null) {
                    throw new TeeflowException("the state at " + where + " is encrypted under a raw key, not a "
                            + "passphrase: give the key (state encryption key, 32 bytes in base64 or hex)");
                }
                derived = source.rawKey().clone();
            } else {
                if (!(settings.get("iterations") instanceof Number n) || !(settings.get("salt") instanceof String salt)) {
                    throw new TeeflowException(backend.where(SETTINGS_FILE) + " is damaged (expected kdf, iterations, "
                            + "salt and check); it cannot be repaired without the files it protects");
                }
                if (source.passphrase() == null) {
                    throw new TeeflowException("the state at " + where + " is encrypted under a passphrase, not a raw "
                            + "key: give the passphrase it was encrypted with");
                }
                derived = derive(source.passphrase(), Base64.getDecoder().decode(salt), n.intValue());
            }
            StateCipher cipher = new StateCipher(derived, backend, settings);
            try {
                byte[] opened = cipher.openOrThrow(Base64.getDecoder().decode(check), CHECK_LABEL);
                if (!Arrays.equals(opened, CHECK_TEXT)) {
                    throw new AEADBadTagException();
                }
            } catch (AEADBadTagException e) {
                throw new TeeflowException("wrong state passphrase: it does not open the encrypted state "
                        + (backend.isRemote() ? "at " : "directory ") + where
                        + " (give the passphrase or key it was encrypted with); nothing was read or written");
            }
            return cipher;
        } catch (IOException | GeneralSecurityException e) {
            throw new TeeflowException("cannot open the encryption settings " + backend.where(SETTINGS_FILE) + ": "
                    + e.getMessage(), e);
        }
    }

    private static StateCipher create(StateBackend backend, StateEncryption.KeySource source, int iterations)
            throws GeneralSecurityException {
        Map<String, Object> settings = new LinkedHashMap<>();
        StateCipher cipher;
        if (source.rawKey() != null) {
            cipher = new StateCipher(source.rawKey().clone(), backend, settings);
            settings.put("kdf", RAW);
        } else {
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            cipher = new StateCipher(derive(source.passphrase(), salt, iterations), backend, settings);
            settings.put("kdf", KDF);
            settings.put("iterations", iterations);
            settings.put("salt", Base64.getEncoder().encodeToString(salt));
        }
        settings.put("cipher", "AES-256-GCM");
        settings.put("check", Base64.getEncoder().encodeToString(cipher.seal(CHECK_TEXT, CHECK_LABEL)));
        settings.put("migrating", true); // files written before encryption was on are encrypted next
        return cipher;
    }

    /** Encrypts {@code plain}; {@code label} (the file's place in the state directory) is authenticated too. */
    public byte[] seal(byte[] plain, String label) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(label.getBytes(StandardCharsets.UTF_8));
            byte[] body = c.doFinal(plain);
            return ByteBuffer.allocate(MAGIC.length + nonce.length + body.length).put(MAGIC).put(nonce).put(body).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Decrypts a blob written by {@link #seal}; a changed, moved or foreign blob is a clear error naming it. */
    public byte[] open(byte[] stored, String label, Path file) {
        return open(stored, label, file.toString());
    }

    /** Decrypts a blob written by {@link #seal}; {@code where} names it in errors. */
    public byte[] open(byte[] stored, String label, String file) {
        if (!isSealed(stored)) {
            throw new TeeflowException(file + " is not encrypted although the state directory is: it was written "
                    + "outside teeflow (or by a run without the passphrase); delete it to let the step run again");
        }
        try {
            return openOrThrow(stored, label);
        } catch (AEADBadTagException e) {
            throw new TeeflowException(file + " failed its integrity check: it was changed outside teeflow or belongs "
                    + "to another place; restore it from a backup or delete it to let the step run again");
        }
    }

    static boolean isSealed(byte[] stored) {
        return stored.length >= MAGIC.length + 12 + 16
                && Arrays.equals(Arrays.copyOf(stored, MAGIC.length), MAGIC);
    }

    private byte[] openOrThrow(byte[] stored, String label) throws AEADBadTagException {
        if (!isSealed(stored)) {
            throw new AEADBadTagException();
        }
        try {
            Cipher c = DECRYPTING.get(); // looked up once per thread: a run opens every record of its state
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, stored, MAGIC.length, 12));
            c.updateAAD(label.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(stored, MAGIC.length + 12, stored.length - MAGIC.length - 12);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static byte[] derive(char[] passphrase, byte[] salt, int iterations) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } finally {
            spec.clearPassword();
        }
    }
}
