package dev.teeflow.engine.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A remote backend in memory, for tests: what a real remote store must do, in the fewest lines. Its
 * blobs are readable by tests ({@link #rawBlobs}), as a database's rows would be to an attacker.
 */
public final class MemoryStateBackend implements StateBackend {
    private final Map<String, Blob> blobs = new TreeMap<>();
    private final Map<String, List<Revision>> history = new TreeMap<>();
    private final AtomicLong versions = new AtomicLong();
    private LockInfo lock;
    private Instant leaseEnd;
    /** Set to make every write fail, as an unreachable store would. */
    public volatile String unreachable;
    /** How many times the whole state was read ({@link #getAll}) and the lock asked for: round trips to a real store. */
    public final java.util.concurrent.atomic.AtomicInteger wholeReads = new java.util.concurrent.atomic.AtomicInteger();
    public final java.util.concurrent.atomic.AtomicInteger lockAttempts = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public String kind() {
        return "memory";
    }

    @Override
    public String location() {
        return "memory://test";
    }

    @Override
    public boolean isRemote() {
        return true;
    }

    /** Every stored blob, by key. */
    public synchronized Map<String, byte[]> rawBlobs() {
        Map<String, byte[]> out = new TreeMap<>();
        blobs.forEach((k, b) -> out.put(k, b.bytes()));
        return out;
    }

    @Override
    public synchronized Optional<Blob> get(String key) {
        return Optional.ofNullable(blobs.get(key));
    }

    @Override
    public synchronized String put(String key, byte[] bytes, String expected) {
        if (unreachable != null) {
            throw new dev.teeflow.engine.TeeflowException(unreachable);
        }
        Blob current = blobs.get(key);
        String currentVersion = current == null ? ABSENT : current.version();
        if (!ANY.equals(expected) && !expected.equals(currentVersion)) {
            throw new ConflictException(key + " changed since it was read");
        }
        String version = Long.toString(versions.incrementAndGet());
        blobs.put(key, new Blob(bytes.clone(), version));
        history.computeIfAbsent(key, k -> new ArrayList<>()).add(0, new Revision(version, Instant.now().toString(), bytes.clone()));
        return version;
    }

    @Override
    public synchronized void delete(String key) {
        if (blobs.remove(key) != null) {
            history.get(key).add(0, new Revision(Long.toString(versions.incrementAndGet()), Instant.now().toString(), null));
        }
    }

    @Override
    public synchronized List<String> list(String prefix) {
        return blobs.keySet().stream().filter(k -> k.startsWith(prefix)).sorted().toList();
    }

    @Override
    public synchronized List<Revision> history(String key) {
        return List.copyOf(history.getOrDefault(key, Collections.emptyList()));
    }

    @Override
    public Map<String, Blob> getAll(String prefix) {
        wholeReads.incrementAndGet();
        return StateBackend.super.getAll(prefix);
    }

    @Override
    public synchronized LockAttempt tryLock(LockInfo me, Duration lease) {
        lockAttempts.incrementAndGet();
        if (lock != null && !lock.sameHolder(me) && Instant.now().isBefore(leaseEnd)) {
            return LockAttempt.heldBy(lock);
        }
        leaseEnd = Instant.now().plus(lease);
        lock = me.withLeaseUntil(leaseEnd.toString());
        return LockAttempt.taken(lock);
    }

    @Override
    public synchronized boolean renewLock(LockInfo me, Duration lease) {
        if (lock == null || !lock.sameHolder(me)) {
            return false;
        }
        leaseEnd = Instant.now().plus(lease);
        lock = lock.withLeaseUntil(leaseEnd.toString());
        return true;
    }

    @Override
    public synchronized void releaseLock(LockInfo me) {
        if (lock != null && lock.sameHolder(me)) {
            lock = null;
        }
    }

    @Override
    public synchronized Optional<LockInfo> lockHolder() {
        return Optional.ofNullable(lock);
    }

    @Override
    public synchronized Optional<LockInfo> forceUnlock(String lockId) {
        if (lock != null && lockId != null && !lockId.equals(lock.id())) {
            throw new dev.teeflow.engine.TeeflowException("the lock has id " + lock.id() + ", not " + lockId);
        }
        Optional<LockInfo> was = Optional.ofNullable(lock);
        lock = null;
        return was;
    }
}
