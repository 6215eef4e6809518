package dev.teeflow.devnet.sms;

import dev.teeflow.files.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SMS's secret store on disk, encrypted at rest.
 * <ul>
 * <li>{@code <dir>/master.key}: 32 random bytes, mode 0600, created on first open.</li>
 * <li>{@code <dir>/secrets/<kind>/<sha256(id)>.bin}: "TFS1" + 12-byte IV + AES-256-GCM(value), with the kind
 * and id as associated data so a file cannot be moved to stand for another secret. Mode 0600, written to a
 * temp file and renamed, so a crash never leaves half a secret.</li>
 * </ul>
 * Another process (the devnet worker) may {@link #open} the same directory to read secrets.
 */
public final class SecretVault implements SecretReader {
    private static final byte[] MAGIC = "TFS1".getBytes(StandardCharsets.US_ASCII);
    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path dir;
    private final SecretKeySpec key;

    private SecretVault(Path dir, SecretKeySpec key) {
        this.dir = dir;
        this.key = key;
    }

    /** Opens (creating if needed) the vault in dir. */
    public static SecretVault open(Path dir) {
        try {
            Files.createDirectories(dir);
            Path keyFile = dir.resolve("master.key");
            if (!Files.exists(keyFile)) {
                byte[] k = new byte[32];
                RANDOM.nextBytes(k);
                try {
                    writeAtomically(keyFile, k, false);
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                }
            }
            byte[] k = Files.readAllBytes(keyFile);
            if (k.length != 32) {
                throw new IllegalStateException("SMS master key " + keyFile + " must be 32 bytes; it is " + k.length
                        + " bytes. Restore it from backup, or delete the SMS data directory to start empty");
            }
            return new SecretVault(dir, new SecretKeySpec(k, "AES"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the SMS data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return dir;
    }

    public synchronized boolean exists(SecretKind kind, String id) {
        return Files.exists(file(kind, id));
    }

    /** Stores a new secret; false when one already exists (write-once). */
    public synchronized boolean create(SecretKind kind, String id, String value) {
        Path f = file(kind, id);
        if (Files.exists(f)) {
            return false;
        }
        try {
            writeAtomically(f, encrypt(kind, id, value), false);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("cannot store a " + kind + " secret in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Replaces an existing secret; false when there is none. */
    public synchronized boolean update(SecretKind kind, String id, String value) {
        Path f = file(kind, id);
        if (!Files.exists(f)) {
            return false;
        }
        try {
            writeAtomically(f, encrypt(kind, id, value), true);
            return true;
        } catch (IOException e) {
            throw new IllegalStateException("cannot update a " + kind + " secret in " + dir + ": " + e.getMessage(), e);
        }
    }

    public synchronized Optional<String> read(SecretKind kind, String id) {
        Path f = file(kind, id);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(decrypt(kind, id, Files.readAllBytes(f)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read a " + kind + " secret from " + f + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> datasetKey(String dataset) {
        return read(SecretKind.WEB3, Ids.web3(dataset));
    }

    @Override
    public Optional<String> web2Secret(String owner, String name) {
        return read(SecretKind.WEB2, Ids.web2(owner, name));
    }

    @Override
    public Optional<String> requesterSecret(String requester, String name) {
        return read(SecretKind.REQUESTER, Ids.requester(requester, name));
    }

    @Override
    public Optional<String> appDeveloperSecret(String app) {
        return read(SecretKind.APP, Ids.app(app));
    }

    private Path file(SecretKind kind, String id) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return dir.resolve("secrets").resolve(kind.name().toLowerCase(Locale.ROOT))
                    .resolve(HexFormat.of().formatHex(h) + ".bin");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] encrypt(SecretKind kind, String id, String value) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            c.updateAAD(aad(kind, id));
            byte[] ct = c.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(MAGIC.length + IV_BYTES + ct.length).put(MAGIC).put(iv).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a " + kind + " secret: " + e.getMessage(), e);
        }
    }

    private String decrypt(SecretKind kind, String id, byte[] data) {
        if (data.length < MAGIC.length + IV_BYTES + 16 || !Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC)) {
            throw new IllegalStateException("a stored " + kind + " secret in " + dir + " is not in the vault format");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(128, Arrays.copyOfRange(data, MAGIC.length, MAGIC.length + IV_BYTES)));
            c.updateAAD(aad(kind, id));
            byte[] plain = c.doFinal(data, MAGIC.length + IV_BYTES, data.length - MAGIC.length - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored " + kind + " secret in " + dir
                    + " does not decrypt with master.key (wrong key or tampered file)", e);
        }
    }

    private static byte[] aad(SecretKind kind, String id) {
        return (kind.name() + "\0" + id).getBytes(StandardCharsets.UTF_8);
    }

    private static void writeAtomically(Path target, byte[] data, boolean replace) throws IOException {
        Path parent = target.getParent();
        if (!Files.isDirectory(parent)) {
            Files.createDirectories(parent);
            trySetPermissions(parent, "rwx------");
        }
        if (replace) {
            AtomicFiles.writeBytes(target, AtomicFiles.OWNER_ONLY, data);
            return;
        }
        Path tmp = AtomicFiles.createTemp(parent, target.getFileName().toString(), AtomicFiles.OWNER_ONLY);
        try {
            Files.write(tmp, data);
            // a hard link fails if the target exists: an atomic create-if-absent, never a replacement
            Files.createLink(target, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void trySetPermissions(Path p, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException e) {
            // non-POSIX file system: nothing more we can do
        }
    }
}
