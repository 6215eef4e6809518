package dev.teeflow.engine.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The state directory ({@code .teeflow/} beside the pipeline file by default):
 *
 * <pre>
 * state/&lt;address&gt;.json      one record per step, written atomically when the step ends
 * intents/&lt;address&gt;.json    what an interrupted external step was waiting for
 * secrets/&lt;address&gt;/&lt;name&gt;  secrets steps made (dataset keys), mode 0600
 * work/&lt;address&gt;/          each step's own files (ciphertexts, clones)
 * project.key                the per-project HMAC key that fingerprints secrets, mode 0600
 * filehashes.json            size + mtime + hash of files already read
 * lock                       who is using this directory
 * encryption.json            salt and key check when the directory is encrypted at rest
 * </pre>
 *
 * <p>With a {@link StateEncryption}, records, intents and step secrets are stored encrypted
 * ({@link StateCipher}); turning it on encrypts the files already there.
 */
public final class StateStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** The result of reading one record: present, absent, or unreadable (with why). */
    public record Read(StepRecord record, String problem) {
        public boolean isCorrupt() {
            return problem != null;
        }
    }

    private final Path root;
    private final StateCipher cipher;

    public StateStore(Path root) {
        this(root, null);
    }

    /** A store whose records, intents and step secrets are encrypted when {@code encryption} is not null. */
    public StateStore(Path root, StateEncryption encryption) {
        this.root = root.toAbsolutePath().normalize();
        this.cipher = encryption == null ? null : encryption.cipherFor(this.root);
        if (cipher != null && cipher.migrating()) {
            encryptPlainFiles();
        }
    }

    public Path root() {
        return root;
    }

    public Path recordFile(String address) {
        return root.resolve("state").resolve(fileName(address) + ".json");
    }

    public Path intentFile(String address) {
        return root.resolve("intents").resolve(fileName(address) + ".json");
    }

    public Path workDir(String address) {
        return root.resolve("work").resolve(fileName(address));
    }

    public Path secretsDir(String address) {
        return root.resolve("secrets").resolve(fileName(address));
    }

    public Path fileHashes() {
        return root.resolve("filehashes.json");
    }

    public Path lockFile() {
        return root.resolve("lock");
    }

    /**
     * The step's record, upgraded from an older layout if need be; a damaged one is reported, never thrown,
     * so the step simply runs again. A record of a newer teeflow is a {@link NewerStateException}.
     */
    public Read read(String address) {
        Path file = recordFile(address);
        if (!Files.exists(file)) {
            return new Read(null, null);
        }
        try {
            StepRecord r = RecordUpgrades.read(JSON, load(file), "the record of " + address + " (" + file + ")");
            if (r == null || r.key() == null || !address.equals(r.address())) {
                return new Read(null, "record " + file + " does not belong to this step");
            }
            return new Read(r, null);
        } catch (IOException e) {
            return new Read(null, "record " + file + " is unreadable (" + firstLine(e.getMessage()) + ")");
        }
    }

    public void write(StepRecord record) {
        try {
            Path file = recordFile(record.address());
            AtomicFiles.write(file, store(file, JSON.writeValueAsBytes(record)), cipher != null);
        } catch (IOException e) {
            throw new TeeflowException("cannot write the state of " + record.address() + " to "
                    + recordFile(record.address()) + ": " + e.getMessage() + diskFullHint(e)
                    + "; the previous record is unchanged", e);
        }
    }

    public void delete(String address) throws IOException {
        Files.deleteIfExists(recordFile(address));
        Files.deleteIfExists(intentFile(address));
    }

    public Optional<Intent> readIntent(String address) {
        Path file = intentFile(address);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.readValue(load(file), Intent.class));
        } catch (IOException e) {
            throw new TeeflowException("the recorded intent " + file + " of an interrupted run is unreadable; "
                    + "check what it was doing before deleting the file: " + firstLine(e.getMessage()), e);
        }
    }

    public void writeIntent(Intent intent) {
        try {
            Path file = intentFile(intent.address());
            AtomicFiles.write(file, store(file, JSON.writeValueAsBytes(intent)), cipher != null);
        } catch (IOException e) {
            throw new TeeflowException("cannot record the intent of " + intent.address() + ": " + e.getMessage()
                    + diskFullHint(e), e);
        }
    }

    public void clearIntent(String address) {
        try {
            Files.deleteIfExists(intentFile(address));
        } catch (IOException e) {
            throw new TeeflowException("cannot clear the intent of " + address + ": " + e.getMessage(), e);
        }
    }

    /** Addresses that have a record, sorted. */
    public List<String> addresses() {
        Path dir = root.resolve("state");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - 5))
                    .sorted()
                    .forEach(out::add);
        } catch (IOException e) {
            throw new TeeflowException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Keeps a step's secret at mode 0600 in a 0700 folder. */
    public void writeSecret(String address, String name, byte[] value) {
        Path dir = secretsDir(address);
        try {
            Files.createDirectories(dir.getParent());
            if (!Files.exists(dir)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path file = dir.resolve(checkName(name));
            AtomicFiles.write(file, store(file, value), true);
        } catch (IOException e) {
            throw new TeeflowException("cannot keep secret '" + name + "' of " + address + " in " + dir + ": "
                    + e.getMessage() + diskFullHint(e), e);
        }
    }

    public Optional<byte[]> readSecret(String address, String name) {
        Path file = secretsDir(address).resolve(checkName(name));
        try {
            return Files.exists(file) ? Optional.of(load(file)) : Optional.empty();
        } catch (IOException e) {
            throw new TeeflowException("cannot read secret '" + name + "' of " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * The per-project key under which secrets are fingerprinted (HMAC) in cache keys and records.
     * Made on first use; 32 random bytes at mode 0600.
     */
    public synchronized byte[] projectKey() {
        Path file = root.resolve("project.key");
        try {
            if (Files.exists(file)) {
                byte[] key = Files.readAllBytes(file);
                if (key.length == 32) {
                    return key;
                }
                throw new TeeflowException(file + " is damaged (expected 32 bytes); delete it to make a new one "
                        + "(every step that uses a secret will then run again)");
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            AtomicFiles.write(file, key, true);
            return key;
        } catch (IOException e) {
            throw new TeeflowException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }

    private static String diskFullHint(IOException e) {
        return String.valueOf(e.getMessage()).contains("No space left")
                ? " (the disk is full: free some space and run again)" : "";
    }

    /** The bytes of a record, intent or secret file, decrypted when the directory is encrypted. */
    private byte[] load(Path file) throws IOException {
        byte[] stored = Files.readAllBytes(file);
        if (cipher != null) {
            return cipher.open(stored, label(file), file);
        }
        if (StateCipher.isSealed(stored) || StateCipher.isEncrypted(root)) {
            throw new TeeflowException("the state directory " + root + " is encrypted: give its passphrase with "
                    + "--state-passphrase env:NAME (or file:PATH) to read " + root.relativize(file));
        }
        return stored;
    }

    private byte[] store(Path file, byte[] plain) {
        if (cipher == null && StateCipher.isEncrypted(root)) {
            throw new TeeflowException("the state directory " + root + " is encrypted: give its passphrase with "
                    + "--state-passphrase env:NAME (or file:PATH) to write to it");
        }
        return cipher == null ? plain : cipher.seal(plain, label(file));
    }

    /** The file's place in the state directory, authenticated with its content. */
    private String label(Path file) {
        return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** Encrypts the records, intents and secrets written before encryption was turned on. */
    private void encryptPlainFiles() {
        try {
            for (String dir : List.of("state", "intents", "secrets")) {
                Path d = root.resolve(dir);
                if (!Files.isDirectory(d)) {
                    continue;
                }
                List<Path> files;
                try (Stream<Path> walk = Files.walk(d)) {
                    files = walk.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith(".")).toList();
                }
                for (Path f : files) {
                    byte[] content = Files.readAllBytes(f);
                    if (!StateCipher.isSealed(content)) {
                        AtomicFiles.write(f, cipher.seal(content, label(f)), true);
                    }
                }
            }
            cipher.migrationDone();
        } catch (IOException e) {
            throw new TeeflowException("cannot encrypt the existing files of the state directory " + root + ": "
                    + e.getMessage() + "; the next run finishes the job", e);
        }
    }

    /** Addresses contain dots and dashes only besides letters and digits; keep file names safe anyway. */
    static String fileName(String address) {
        StringBuilder sb = new StringBuilder();
        for (char c : address.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' ? c : '_');
        }
        String s = sb.toString();
        return s.startsWith(".") ? "_" + s : s;
    }

    private static String checkName(String name) {
        if (!name.matches("[A-Za-z0-9._-]{1,100}") || name.startsWith(".")) {
            throw new IllegalArgumentException("bad secret name '" + name + "'");
        }
        return name;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
