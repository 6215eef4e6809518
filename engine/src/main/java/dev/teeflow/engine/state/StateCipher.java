package dev.teeflow.engine.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.files.AtomicFiles;
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
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticated encryption of the state directory's sensitive files (step records, intents, step secrets):
 * AES-256-GCM under a key derived from a passphrase with PBKDF2-HMAC-SHA256. The salt, the iteration count
 * and a key check (a known text encrypted under the key) live in {@code encryption.json}, so a wrong
 * passphrase is found before any file is read, and is one clear error.
 *
 * <p>Each file is {@code TFENC1} + 12-byte random nonce + ciphertext + 16-byte tag. The file's path inside
 * the state directory is the associated data: a record moved onto another step's name fails to open, like
 * any changed byte.
 */
public final class StateCipher {
    public static final String SETTINGS_FILE = "encryption.json";
    static final byte[] MAGIC = "TFENC1".getBytes(StandardCharsets.US_ASCII);
    static final int DEFAULT_ITERATIONS = 600_000; // OWASP's 2023 figure for PBKDF2-HMAC-SHA256
    private static final String KDF = "PBKDF2-HMAC-SHA256";
    private static final String CHECK_LABEL = "key-check";
    private static final byte[] CHECK_TEXT = "teeflow state key check".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final Path settingsFile;
    private final Map<String, Object> settings;

    private StateCipher(byte[] key, Path settingsFile, Map<String, Object> settings) {
        this.key = new SecretKeySpec(key, "AES");
        this.settingsFile = settingsFile;
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
        AtomicFiles.write(settingsFile, JSON.writeValueAsBytes(settings), true);
    }

    /** Whether {@code root} holds an encrypted state directory. */
    public static boolean isEncrypted(Path root) {
        return Files.exists(root.resolve(SETTINGS_FILE));
    }

    /**
     * The cipher of the state directory {@code root}: checks the passphrase against an existing
     * {@code encryption.json}, or makes one (new salt) when the directory is not encrypted yet.
     */
    public static StateCipher open(Path root, char[] passphrase) {
        return open(root, passphrase, DEFAULT_ITERATIONS);
    }

    static StateCipher open(Path root, char[] passphrase, int iterationsForNew) {
        if (passphrase == null || passphrase.length == 0) {
            throw new TeeflowException("the state passphrase is empty; give a non-empty one (--state-passphrase env:NAME)");
        }
        Path file = root.resolve(SETTINGS_FILE);
        try {
            if (Files.exists(file)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> settings = JSON.readValue(file.toFile(), LinkedHashMap.class);
                if (!KDF.equals(settings.get("kdf")) || !(settings.get("iterations") instanceof Number n)
                        || !(settings.get("salt") instanceof String salt) || !(settings.get("check") instanceof String check)) {
                    throw new TeeflowException(file + " is damaged (expected kdf, iterations, salt and check); "
                            + "it cannot be repaired without the files it protects");
                }
                StateCipher cipher = new StateCipher(derive(passphrase, Base64.getDecoder().decode(salt), n.intValue()),
                        file, settings);
                try {
                    byte[] opened = cipher.openOrThrow(Base64.getDecoder().decode(check), CHECK_LABEL);
                    if (!Arrays.equals(opened, CHECK_TEXT)) {
                        throw new AEADBadTagException();
                    }
                } catch (AEADBadTagException e) {
                    throw new TeeflowException("wrong state passphrase: it does not open the encrypted state directory "
                            + root + " (give the passphrase it was encrypted with)");
                }
                return cipher;
            }
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            Map<String, Object> settings = new LinkedHashMap<>();
            StateCipher cipher = new StateCipher(derive(passphrase, salt, iterationsForNew), file, settings);
            settings.put("kdf", KDF);
            settings.put("iterations", iterationsForNew);
            settings.put("salt", Base64.getEncoder().encodeToString(salt));
            settings.put("cipher", "AES-256-GCM");
            settings.put("check", Base64.getEncoder().encodeToString(cipher.seal(CHECK_TEXT, CHECK_LABEL)));
            settings.put("migrating", true); // files written before encryption was on are encrypted next
            AtomicFiles.write(file, JSON.writeValueAsBytes(settings), true);
            return cipher;
        } catch (IOException | GeneralSecurityException e) {
            throw new TeeflowException("cannot open the encryption settings " + file + ": " + e.getMessage(), e);
        }
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

    /** Decrypts a file written by {@link #seal}; a changed, moved or foreign file is a clear error naming it. */
    public byte[] open(byte[] stored, String label, Path file) {
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
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
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
