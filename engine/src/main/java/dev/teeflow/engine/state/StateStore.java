package dev.teeflow.engine.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.teeflow.engine.TeeflowException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A pipeline's state as the engine sees it: step records, intents, step secrets and the project key,
 * kept in a {@link StateBackend} (the local directory by default, or a remote store), plus the caches that
 * stay on this machine whatever the backend is. Keys in the backend, and the local layout:
 *
 * <pre>
 * state/&lt;address&gt;.json      one record per step, written through when the step ends
 * intents/&lt;address&gt;.json    what an interrupted external step was waiting for
 * secrets/&lt;address&gt;/&lt;name&gt;  secrets steps made (dataset keys), mode 0600 locally
 * project.key                the per-project HMAC key that fingerprints secrets, mode 0600 locally
 * encryption.json            salt and key check when the state is encrypted
 * </pre>
 * Always local, under the cache directory (the state directory itself for the local backend):
 * <pre>
 * work/&lt;address&gt;/          each step's own files (ciphertexts, clones): rebuilt when missing
 * filehashes.json            size + mtime + hash of files already read
 * lock                       who is using a local state directory
 * </pre>
 *
 * <p>With a {@link StateEncryption}, records, intents and step secrets are stored encrypted
 * ({@link StateCipher}); turning it on encrypts what is already there. A remote backend is refused
 * without encryption before anything is written, and its project key is encrypted too.
 *
 * <p>Over a remote backend a store reads the whole state in one round trip at its first read and keeps
 * that snapshot current with its own writes: a store lives for one plan or apply (under the lock, for
 * apply); make a new one to see what other runs wrote since.
 */
public final class StateStore {
    public static final String PROJECT_KEY = "project.key";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** The result of reading one record: present, absent, or unreadable (with why). */
    public record Read(StepRecord record, String problem) {
        public boolean isCorrupt() {
            return problem != null;
        }
    }

    private final Path root;
    private final StateBackend backend;
    private final StateCipher cipher;
    private volatile java.util.function.Supplier<String> writeBlocker = () -> null;
    /** A remote state read whole on first use (one round trip instead of one per step), kept current by our writes. */
    private java.util.Map<String, StateBackend.Blob> snapshot;

    public StateStore(Path root) {
        this(root, null);
    }

    /** A local store whose records, intents and step secrets are encrypted when {@code encryption} is not null. */
    public StateStore(Path root, StateEncryption encryption) {
        this(root, new LocalStateBackend(root), encryption);
    }

    /**
     * A store over {@code backend}, with this machine's caches under {@code cacheDir}.
     *
     * @throws TeeflowException when the backend is remote and {@code encryption} is null, or the key is
     *     wrong; nothing is written then
     */
    public StateStore(Path cacheDir, StateBackend backend, StateEncryption encryption) {
        this.root = cacheDir.toAbsolutePath().normalize();
        this.backend = backend;
        if (backend.isRemote() && encryption == null) {
            throw new TeeflowException("the " + backend.kind() + " state backend (" + backend.location() + ") needs "
                    + "client-side encryption: give a passphrase with state.passphrase (env:NAME or file:PATH) in the "
                    + "pipeline file, --state-passphrase or TEEFLOW_STATE_PASSPHRASE; nothing was written");
        }
        this.cipher = encryption == null ? null : encryption.cipherFor(backend);
        if (cipher != null && cipher.migrating()) {
            encryptPlainFiles();
        }
    }

    /**
     * Makes every later write fail with the reason {@code blocker} gives, once it gives one: a run that lost
     * its lock stops before it writes (or, since intents are written first, sends) anything more.
     */
    public void refuseWritesWhen(java.util.function.Supplier<String> blocker) {
        this.writeBlocker = blocker;
    }

    /** The local cache directory (the state directory itself with the local backend). */
    public Path root() {
        return root;
    }

    public StateBackend backend() {
        return backend;
    }

    public static String recordKey(String address) {
        return "state/" + fileName(address) + ".json";
    }

    public static String intentKey(String address) {
        return "intents/" + fileName(address) + ".json";
    }

    public static String secretKey(String address, String name) {
        return secretsPrefix(address) + checkName(name);
    }

    /** The prefix of every key of the step's secrets. */
    public static String secretsPrefix(String address) {
        return "secrets/" + fileName(address) + "/";
    }

    /** The record's file in a local state directory. */
    public Path recordFile(String address) {
        return root.resolve(recordKey(address));
    }

    /** The intent's file in a local state directory. */
    public Path intentFile(String address) {
        return root.resolve(intentKey(address));
    }

    public Path workDir(String address) {
        return root.resolve("work").resolve(fileName(address));
    }

    /** The step's secrets folder in a local state directory. */
    public Path secretsDir(String address) {
        return root.resolve("secrets").resolve(fileName(address));
    }

    /** Where a step's secret is kept, for messages. */
    public String secretLocation(String address, String name) {
        return backend.where(secretKey(address, name));
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
        String file = backend.where(recordKey(address));
        Optional<byte[]> stored = load(recordKey(address));
        if (stored.isEmpty()) {
            return new Read(null, null);
        }
        try {
            StepRecord r = RecordUpgrades.read(JSON, stored.get(), "the record of " + address + " (" + file + ")");
            if (r == null || r.key() == null || !address.equals(r.address())) {
                return new Read(null, "record " + file + " does not belong to this step");
            }
            return new Read(r, null);
        } catch (IOException e) {
            return new Read(null, "record " + file + " is unreadable (" + firstLine(e.getMessage()) + ")");
        }
    }

    /** Writes the record through: it is in the backend when this returns. */
    public void write(StepRecord record) {
        String key = recordKey(record.address());
        try {
            put(key, JSON.writeValueAsBytes(record));
        } catch (IOException | TeeflowException e) {
            throw new TeeflowException("cannot write the state of " + record.address() + " to "
                    + backend.where(key) + ": " + e.getMessage() + diskFullHint(e)
                    + "; the previous record is unchanged", e);
        }
    }

    public void delete(String address) throws IOException {
        backend.delete(recordKey(address));
        remember(recordKey(address), null, null);
        backend.delete(intentKey(address));
        remember(intentKey(address), null, null);
    }

    public Optional<Intent> readIntent(String address) {
        String file = backend.where(intentKey(address));
        Optional<byte[]> stored = load(intentKey(address));
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.readValue(stored.get(), Intent.class));
        } catch (IOException e) {
            throw new TeeflowException("the recorded intent " + file + " of an interrupted run is unreadable; "
                    + "check what it was doing before deleting the file: " + firstLine(e.getMessage()), e);
        }
    }

    /** Writes the intent through: it is in the backend when this returns, before anything is sent. */
    public void writeIntent(Intent intent) {
        try {
            put(intentKey(intent.address()), JSON.writeValueAsBytes(intent));
        } catch (IOException | TeeflowException e) {
            throw new TeeflowException("cannot record the intent of " + intent.address() + ": " + e.getMessage()
                    + diskFullHint(e), e);
        }
    }

    public void clearIntent(String address) {
        try {
            backend.delete(intentKey(address));
            remember(intentKey(address), null, null);
        } catch (TeeflowException e) {
            throw new TeeflowException("cannot clear the intent of " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * Moves what is stored under {@code key} to {@code key + suffix} as it is (encrypted under its first name when
     * the state is), for a repair: the key is free again and the damaged copy can still be looked at. Works on
     * every backend; a remote one also keeps the value in its history. Returns where the copy is.
     */
    public String setAside(String key, String suffix) {
        String blocked = writeBlocker.get();
        if (blocked != null) {
            throw new TeeflowException(blocked + "; stopping before anything more is written");
        }
        StateBackend.Blob blob = backend.get(key)
                .orElseThrow(() -> new TeeflowException("nothing is stored at " + backend.where(key) + " to set aside"));
        String aside = key + suffix;
        try {
            // Two set-asides of one key within the same second get the same suffix: the later one takes "-2", "-3"...
            for (int n = 2; ; n++) {
                try {
                    remember(aside, blob.bytes(), backend.put(aside, blob.bytes(), StateBackend.ABSENT));
                    break;
                } catch (ConflictException taken) {
                    if (n > 100) {
                        throw taken;
                    }
                    aside = key + suffix + "-" + n;
                }
            }
            backend.delete(key);
            remember(key, null, null);
        } catch (TeeflowException e) {
            throw new TeeflowException("cannot set " + backend.where(key) + " aside: " + e.getMessage(), e);
        }
        return backend.where(aside);
    }

    /** Addresses that have a record, sorted (as their file-safe names). */
    public List<String> addresses() {
        List<String> out = new ArrayList<>();
        for (String key : backend.list("state/")) {
            String name = key.substring("state/".length());
            if (name.endsWith(".json") && !name.contains("/")) {
                out.add(name.substring(0, name.length() - 5));
            }
        }
        return out;
    }

    /** Keeps a step's secret (locally at mode 0600 in a 0700 folder). */
    public void writeSecret(String address, String name, byte[] value) {
        String key = secretKey(address, name);
        try {
            put(key, value);
        } catch (TeeflowException e) {
            throw new TeeflowException("cannot keep secret '" + name + "' of " + address + " in "
                    + backend.where(key) + ": " + e.getMessage() + diskFullHint(e), e);
        }
    }

    public Optional<byte[]> readSecret(String address, String name) {
        return load(secretKey(address, name));
    }

    /**
     * The per-project key under which secrets are fingerprinted (HMAC) in cache keys and records.
     * Made on first use: 32 random bytes (mode 0600 locally; encrypted on a remote backend). Two runs
     * making it at once agree on one: the second one's create fails and it reads the first one's.
     */
    public synchronized byte[] projectKey() {
        String where = backend.where(PROJECT_KEY);
        Optional<StateBackend.Blob> stored = fetch(PROJECT_KEY);
        if (stored.isEmpty()) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            try {
                byte[] sealed = backend.isRemote() ? cipher.seal(key, PROJECT_KEY) : key;
                remember(PROJECT_KEY, sealed, backend.put(PROJECT_KEY, sealed, StateBackend.ABSENT));
                return key;
            } catch (ConflictException raced) {
                stored = backend.get(PROJECT_KEY); // another run made it first: use theirs
                if (stored.isEmpty()) {
                    throw raced;
                }
            } catch (TeeflowException e) {
                throw new TeeflowException("cannot read or create " + where + ": " + e.getMessage(), e);
            }
        }
        byte[] bytes = stored.get().bytes();
        if (StateCipher.isSealed(bytes) && cipher != null) {
            bytes = cipher.open(bytes, PROJECT_KEY, where);
        } else if (backend.isRemote()) {
            throw new TeeflowException(where + " is not encrypted although the state is: it was written outside "
                    + "teeflow; restore it from the history (teeflow state history)");
        }
        if (bytes.length == 32) {
            return bytes;
        }
        throw new TeeflowException(where + " is damaged (expected 32 bytes); delete it to make a new one "
                + "(every step that uses a secret will then run again)");
    }

    /** One version of a step's record, as {@link #history} lists them: the record, or why there is none. */
    public record RecordVersion(String version, String time, StepRecord record, String problem) {
    }

    /** Every kept version of a step's record, newest first (the local directory keeps only the current one). */
    public List<RecordVersion> history(String address) {
        String key = recordKey(address);
        List<RecordVersion> out = new ArrayList<>();
        for (StateBackend.Revision r : backend.history(key)) {
            if (r.deleted()) {
                out.add(new RecordVersion(r.version(), r.time(), null, "deleted"));
                continue;
            }
            try {
                byte[] plain = cipher != null ? cipher.open(r.bytes(), key, backend.where(key) + " version " + r.version())
                        : r.bytes();
                out.add(new RecordVersion(r.version(), r.time(), RecordUpgrades.read(JSON, plain,
                        "version " + r.version() + " of the record of " + address), null));
            } catch (IOException | TeeflowException e) {
                out.add(new RecordVersion(r.version(), r.time(), null, "unreadable: " + firstLine(e.getMessage())));
            }
        }
        return out;
    }

    /** The keys of every record, intent and step secret (what a migration copies besides the project key). */
    public List<String> dataKeys() {
        List<String> out = new ArrayList<>();
        for (String prefix : List.of("state/", "intents/", "secrets/")) {
            out.addAll(backend.list(prefix));
        }
        return out;
    }

    /** The plain bytes under one of {@link #dataKeys()}. */
    public Optional<byte[]> readData(String key) {
        return load(key);
    }

    /** Writes plain bytes under a data key (encrypted if the state is), for a migration. */
    public void writeData(String key, byte[] plain) {
        put(key, plain);
    }

    /** Whether the project key exists yet (without making it). */
    public boolean hasProjectKey() {
        return backend.get(PROJECT_KEY).isPresent();
    }

    /** Takes over another state's project key (a migration), so secrets keep their fingerprints. */
    public void adoptProjectKey(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("a project key is 32 bytes");
        }
        backend.put(PROJECT_KEY, backend.isRemote() ? cipher.seal(key, PROJECT_KEY) : key, StateBackend.ABSENT);
    }

    private static String diskFullHint(Exception e) {
        return String.valueOf(e.getMessage()).contains("No space left")
                ? " (the disk is full: free some space and run again)" : "";
    }

    /** The blob under {@code key}: from the snapshot for a remote backend, else from the backend. */
    private synchronized Optional<StateBackend.Blob> fetch(String key) {
        if (!backend.isRemote()) {
            return backend.get(key);
        }
        if (snapshot == null) {
            snapshot = new java.util.HashMap<>(backend.getAll(""));
        }
        return Optional.ofNullable(snapshot.get(key));
    }

    private synchronized void remember(String key, byte[] bytes, String version) {
        if (snapshot != null) {
            if (bytes == null) {
                snapshot.remove(key);
            } else {
                snapshot.put(key, new StateBackend.Blob(bytes, version));
            }
        }
    }

    /** The bytes stored under {@code key}, decrypted when the state is encrypted. */
    private Optional<byte[]> load(String key) {
        Optional<StateBackend.Blob> blob = fetch(key);
        if (blob.isEmpty()) {
            return Optional.empty();
        }
        byte[] stored = blob.get().bytes();
        if (cipher != null) {
            return Optional.of(cipher.open(stored, key, backend.where(key)));
        }
        if (StateCipher.isSealed(stored) || StateCipher.isEncrypted(backend)) {
            throw new TeeflowException("the state directory " + backend.location() + " is encrypted: give its passphrase "
                    + "with --state-passphrase env:NAME (or file:PATH) to read " + key);
        }
        return Optional.of(stored);
    }

    /** Writes through, encrypted when the state is. */
    private void put(String key, byte[] plain) {
        String blocked = writeBlocker.get();
        if (blocked != null) {
            throw new TeeflowException(blocked + "; stopping before anything more is written or sent");
        }
        if (cipher == null && StateCipher.isEncrypted(backend)) {
            throw new TeeflowException("the state directory " + backend.location() + " is encrypted: give its passphrase "
                    + "with --state-passphrase env:NAME (or file:PATH) to write to it");
        }
        byte[] stored = cipher == null ? plain : cipher.seal(plain, key);
        remember(key, stored, backend.put(key, stored, StateBackend.ANY));
    }

    /** Encrypts the records, intents and secrets written before encryption was turned on. */
    private void encryptPlainFiles() {
        try {
            for (String prefix : List.of("state/", "intents/", "secrets/")) {
                for (String key : backend.list(prefix)) {
                    Optional<StateBackend.Blob> blob = backend.get(key);
                    if (blob.isPresent() && !StateCipher.isSealed(blob.get().bytes())) {
                        backend.put(key, cipher.seal(blob.get().bytes(), key), blob.get().version());
                    }
                }
            }
            cipher.migrationDone();
        } catch (IOException | TeeflowException e) {
            throw new TeeflowException("cannot encrypt the existing files of the state " + backend.location() + ": "
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

    static String checkName(String name) {
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
