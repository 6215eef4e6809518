package dev.teeflow.engine.state;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where a pipeline's state lives: a key/value store of opaque blobs with compare-and-swap, a lease lock
 * and a history of every key. The engine never talks to one directly but through {@link StateStore},
 * which names the keys, encodes records and encrypts every blob before it gets here (a remote backend
 * is refused without encryption), so a backend sees only bytes it cannot read.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Keys</b> are relative paths of letters, digits, {@code . _ - /}: {@code state/<address>.json},
 *   {@code intents/<address>.json}, {@code secrets/<address>/<name>}, {@code project.key},
 *   {@code encryption.json}. A backend stores them as given (a row, an object name, a file in a commit).</li>
 *   <li><b>Write-through.</b> {@link #put} and {@link #delete} return only once the blob is durable where
 *   other machines read it; any doubt is an exception, never a silent success. The engine records an
 *   intent with {@code put} before it broadcasts a transaction, so an acknowledged put must survive the
 *   writer's death.</li>
 *   <li><b>Compare-and-swap.</b> Every stored blob has an opaque {@link Blob#version()}. {@code put} with
 *   {@link #ANY} writes whatever is there, with {@link #ABSENT} only creates, and with a version only
 *   replaces that version; otherwise it throws {@link ConflictException} and writes nothing.</li>
 *   <li><b>History.</b> Every put and delete keeps the value it replaced; {@link #history} lists them,
 *   newest first. A backend that keeps no history (the local directory) returns the current version only.</li>
 *   <li><b>Lock.</b> One lease lock per state. {@link #tryLock} takes it when it is free or when its
 *   holder's lease ended (judged by the backend's clock where it has one); {@link #renewLock} extends it
 *   and tells the holder when it lost it; {@link #forceUnlock} removes it whoever holds it, given its id.
 *   The lock record ({@link LockInfo}) names who holds it and is readable without the passphrase.</li>
 *   <li><b>Secrets.</b> A backend's own credentials come from secret references and never appear in
 *   {@link #location()}, exception messages or logs.</li>
 *   <li><b>Threads.</b> Methods may be called from several threads at once.</li>
 * </ul>
 */
public interface StateBackend extends AutoCloseable {
    /** {@code put} whatever is stored. */
    String ANY = "*";
    /** {@code put} only when nothing is stored under the key. */
    String ABSENT = "";

    /** A stored blob and its version (an opaque token for compare-and-swap). */
    record Blob(byte[] bytes, String version) {
    }

    /** One past or present value of a key; {@code bytes} is null for a deletion. */
    record Revision(String version, String time, byte[] bytes) {
        public boolean deleted() {
            return bytes == null;
        }
    }

    /** The outcome of {@link #tryLock}: taken by the caller, or the holder that keeps it. */
    record LockAttempt(boolean taken, LockInfo holder) {
        public static LockAttempt taken(LockInfo me) {
            return new LockAttempt(true, me);
        }

        public static LockAttempt heldBy(LockInfo holder) {
            return new LockAttempt(false, holder);
        }
    }

    /** The backend's kind as the settings name it: {@code local}, {@code postgres}, {@code git}, {@code s3}. */
    String kind();

    /** Where the state lives, for messages: a folder, or a URL without credentials. */
    String location();

    /** Where one key lives, for messages (the local backend names the file). */
    default String where(String key) {
        return location() + " " + key;
    }

    /** True when the blobs leave this machine: {@link StateStore} then requires encryption. */
    boolean isRemote();

    Optional<Blob> get(String key);

    /**
     * Stores {@code bytes} under {@code key} if its current version is {@code expected} ({@link #ANY},
     * {@link #ABSENT} or a version from {@link #get}); returns the new version.
     *
     * @throws ConflictException when the stored version is another; nothing is written
     */
    String put(String key, byte[] bytes, String expected);

    /** Removes the key (its last value stays in the history); nothing to remove is not an error. */
    void delete(String key);

    /** Keys that start with {@code prefix}, sorted. */
    List<String> list(String prefix);

    /**
     * Every key that starts with {@code prefix} and its blob, in as few round trips as the store allows (a
     * remote backend should override this with one query or listing): a run reads its whole state at once.
     */
    default java.util.Map<String, Blob> getAll(String prefix) {
        java.util.Map<String, Blob> out = new java.util.TreeMap<>();
        for (String key : list(prefix)) {
            get(key).ifPresent(b -> out.put(key, b));
        }
        return out;
    }

    /** Versions of {@code key}, newest first, the current one included. */
    List<Revision> history(String key);

    /**
     * Takes the lock for {@code me} with a lease of {@code lease}, unless someone else holds it and their
     * lease is still running. Never waits: the caller retries.
     */
    LockAttempt tryLock(LockInfo me, Duration lease);

    /** Extends {@code me}'s lease; false when the lock is no longer {@code me}'s (expired and taken, or forced). */
    boolean renewLock(LockInfo me, Duration lease);

    /** Lets go of the lock if {@code me} still holds it. */
    void releaseLock(LockInfo me);

    /** Who holds the lock now, if anyone. */
    Optional<LockInfo> lockHolder();

    /**
     * Removes the lock if its id is {@code lockId} ({@code null}: whatever lock is there) and returns who held
     * it; a lock with another id is left alone and is an error naming it.
     */
    Optional<LockInfo> forceUnlock(String lockId);

    @Override
    default void close() {
    }
}
