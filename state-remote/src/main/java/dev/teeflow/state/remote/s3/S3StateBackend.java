package dev.teeflow.state.remote.s3;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.state.ConflictException;
import dev.teeflow.engine.state.LockInfo;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.state.remote.LeaseRecord;
import dev.teeflow.state.remote.LockMode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * State in an S3-compatible bucket under a key prefix:
 *
 * <pre>
 * &lt;prefix&gt;&lt;key&gt;                         the current value of each key (sealed by the state's encryption)
 * &lt;prefix&gt;.history/&lt;key&gt;/&lt;stamp&gt;-&lt;nonce&gt;  every value ever written, newest first by name; ".deleted" marks a removal
 * &lt;prefix&gt;lock.json                     the lease lock, in plain JSON (who holds it; no secret)
 * </pre>
 *
 * <p>Compare-and-swap and the lock use conditional uploads ({@code If-None-Match: *} to create,
 * {@code If-Match: <etag>} to replace). A store that ignores them is found by {@link ConditionalWrites} and
 * refused as a lock holder, unless the settings say runs are kept one at a time outside teeflow
 * ({@code lock: external}). History uses versioned keys, so it works on any store, versioned bucket or not.
 */
public final class S3StateBackend implements StateBackend {
    static final String LOCK = "lock.json";
    static final String HISTORY = ".history/";
    static final String PROBE = ".probe/";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final S3Settings settings;
    private final S3Objects store;
    private final Consumer<String> notice;
    private final Map<String, String> lockEtags = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean externalNoticeGiven = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile ConditionalWrites.Verdict conditional;
    private Map<String, Blob> snapshot;
    private final S3BlobCache copies;

    /** {@code notice} receives what a user should know (a lock that is not taken); never a secret. */
    public S3StateBackend(S3Settings settings, Consumer<String> notice) {
        this(settings, notice, null);
    }

    /**
     * As above, keeping copies of the (sealed) objects in {@code cacheDir} so that a later command fetches only
     * what changed; null keeps none.
     */
    public S3StateBackend(S3Settings settings, Consumer<String> notice, java.nio.file.Path cacheDir) {
        this.settings = settings;
        this.store = new S3Objects(settings);
        this.notice = notice;
        this.copies = cacheDir == null ? null : new S3BlobCache(cacheDir);
    }

    @Override
    public String kind() {
        return "s3";
    }

    @Override
    public String location() {
        return settings.describe();
    }

    @Override
    public String where(String key) {
        return store.where(settings.prefix() + key);
    }

    @Override
    public boolean isRemote() {
        return true;
    }

    @Override
    public Optional<Blob> get(String key) {
        String object = objectKey(key);
        return Optional.ofNullable(snapshot().get(object));
    }

    /**
     * The current values, loaded on the first read (one listing, then the objects fetched in parallel) and
     * again after the lock is taken; this backend's own writes keep it current. While the lock is held no
     * one else writes, so it is the store; without it (plan, state pull) it is the store as of the first read.
     */
    private synchronized Map<String, Blob> snapshot() {
        if (snapshot == null) {
            // State keys never start with "." (objectKey): starting the listing after ".~" leaves out the history
            // and the probes, which grow with every write, on stores that honour start-after.
            Map<String, String> objects = new java.util.LinkedHashMap<>();
            store.listing(settings.prefix(), settings.prefix() + ".~").forEach((o, etag) -> {
                if (isStateObject(o.substring(settings.prefix().length()))) {
                    objects.put(o, etag);
                }
            });
            Map<String, Blob> loaded = new ConcurrentHashMap<>();
            List<String> toFetch = new ArrayList<>();
            objects.forEach((o, etag) -> {
                Optional<byte[]> kept = copies == null || etag.isEmpty() ? Optional.empty() : copies.get(o, etag);
                if (kept.isPresent()) {
                    loaded.put(o, new Blob(kept.get(), etag));
                } else {
                    toFetch.add(o);
                }
            });
            try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(16, toFetch.size())))) {
                List<Future<?>> pending = new ArrayList<>();
                for (String o : toFetch) {
                    pending.add(pool.submit(() -> store.get(o).ifPresent(s -> {
                        loaded.put(o, new Blob(s.bytes(), s.etag()));
                        if (copies != null) {
                            copies.put(o, s.etag(), s.bytes());
                        }
                    })));
                }
                for (Future<?> f : pending) {
                    f.get();
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new TeeflowException(e.getCause().getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TeeflowException("interrupted while reading " + location());
            }
            if (copies != null) {
                copies.keepOnly(loaded.entrySet().stream()
                        .map(e -> new S3BlobCache.Entry(e.getKey(), e.getValue().version())).collect(java.util.stream.Collectors.toSet()));
            }
            snapshot = loaded;
        }
        return snapshot;
    }

    private synchronized void remember(String object, Blob blob) {
        if (snapshot != null) {
            if (blob == null) {
                snapshot.remove(object);
            } else {
                snapshot.put(object, blob);
            }
        }
    }

    private static boolean isStateObject(String key) {
        return !key.startsWith(HISTORY) && !key.startsWith(PROBE) && !key.equals(LOCK);
    }

    @Override
    public String put(String key, byte[] bytes, String expected) {
        String object = objectKey(key);
        String etag;
        if (ANY.equals(expected)) {
            etag = store.put(object, bytes);
        } else if (conditionalWritesHonoured()) {
            try {
                etag = ABSENT.equals(expected) ? store.put(object, bytes, "*", null) : store.put(object, bytes, null, expected);
            } catch (S3Objects.PreconditionFailed e) {
                throw conflict(key, expected);
            }
        } else {
            // Checked, then written: not atomic, which is why such a store holds no lock (runs are one at a time).
            String current = store.get(object).map(S3Objects.Stored::etag).orElse(ABSENT);
            if (!current.equals(expected)) {
                throw conflict(key, expected);
            }
            etag = store.put(object, bytes);
        }
        remember(object, new Blob(bytes.clone(), etag));
        if (copies != null) {
            copies.put(object, etag, bytes);
        }
        recordHistory(key, bytes, false);
        return etag;
    }

    private ConflictException conflict(String key, String expected) {
        return new ConflictException(where(key) + (ABSENT.equals(expected) ? " already exists (someone else made it)"
                : " changed since it was read (someone else wrote it)"));
    }

    @Override
    public void delete(String key) {
        Optional<S3Objects.Stored> current = store.get(objectKey(key));
        if (current.isEmpty()) {
            return;
        }
        recordHistory(key, new byte[0], true);
        store.delete(objectKey(key));
        remember(objectKey(key), null);
    }

    /** Keeps {@code bytes} as the newest version of {@code key}; the name sorts newest first. */
    private void recordHistory(String key, byte[] bytes, boolean deleted) {
        long now = System.currentTimeMillis();
        byte[] nonce = new byte[4];
        RANDOM.nextBytes(nonce);
        String name = String.format("%019d-%013d-%s%s", Long.MAX_VALUE - now, now, HexFormat.of().formatHex(nonce),
                deleted ? ".deleted" : "");
        try {
            store.put(settings.prefix() + HISTORY + key + "/" + name, bytes);
        } catch (TeeflowException e) {
            throw new TeeflowException("the new value of " + key + " is stored in " + location()
                    + " but its history entry is not: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        int cut = settings.prefix().length();
        for (String object : snapshot().keySet()) {
            String key = object.substring(cut);
            if (key.startsWith(prefix)) {
                keys.add(key);
            }
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public List<Revision> history(String key) {
        String dir = settings.prefix() + HISTORY + key + "/";
        List<Revision> out = new ArrayList<>();
        for (String object : store.list(dir)) {
            String name = object.substring(dir.length());
            String[] parts = name.split("-");
            if (parts.length < 3 || name.contains("/")) {
                continue;
            }
            String time = Instant.ofEpochMilli(Long.parseLong(parts[1])).toString();
            if (name.endsWith(".deleted")) {
                out.add(new Revision(name, time, null));
            } else {
                store.get(object).ifPresent(s -> out.add(new Revision(s.etag(), time, s.bytes())));
            }
        }
        return out;
    }

    @Override
    public LockAttempt tryLock(LockInfo me, Duration lease) {
        if (!lockByStore()) {
            return LockAttempt.taken(me);
        }
        String lock = settings.prefix() + LOCK;
        Optional<S3Objects.Stored> current = store.get(lock);
        LeaseRecord mine = LeaseRecord.held(me, lease, Instant.now());
        try {
            if (current.isEmpty()) {
                lockEtags.put(me.id(), store.put(lock, mine.toJson(), "*", null));
                forgetSnapshot();
                return LockAttempt.taken(mine.holder());
            }
            S3Objects.Stored stored = current.get();
            LeaseRecord there = LeaseRecord.parse(stored.bytes());
            Instant now = stored.storeNow().orElseGet(Instant::now);
            if (!there.heldBy(me) && !there.free(stored.lastModified(), now)) {
                return LockAttempt.heldBy(there.holder());
            }
            lockEtags.put(me.id(), store.put(lock, mine.toJson(), null, stored.etag()));
            forgetSnapshot();
            return LockAttempt.taken(mine.holder());
        } catch (S3Objects.PreconditionFailed raced) {
            // Someone else wrote the lock between our read and our write: theirs it is.
            return LockAttempt.heldBy(lockHolder().orElse(null));
        }
    }

    /** Taking the lock starts a new reading: what others wrote before is read again. */
    private synchronized void forgetSnapshot() {
        snapshot = null;
    }

    @Override
    public boolean renewLock(LockInfo me, Duration lease) {
        if (!lockByStore()) {
            return true;
        }
        String etag = lockEtags.get(me.id());
        if (etag == null) {
            return false;
        }
        try {
            lockEtags.put(me.id(), store.put(settings.prefix() + LOCK, LeaseRecord.held(me, lease, Instant.now()).toJson(),
                    null, etag));
            return true;
        } catch (S3Objects.PreconditionFailed lost) {
            lockEtags.remove(me.id());
            return false;
        }
    }

    @Override
    public void releaseLock(LockInfo me) {
        String etag = lockEtags.remove(me.id());
        if (etag == null || !lockByStore()) {
            return;
        }
        try {
            // Let go by a compare-and-swap to a released record: a lock taken over meanwhile stays its new holder's.
            store.put(settings.prefix() + LOCK, new LeaseRecord(me, 0, true).toJson(), null, etag);
        } catch (S3Objects.PreconditionFailed takenOver) {
            // no longer ours: nothing to let go
        }
    }

    @Override
    public Optional<LockInfo> lockHolder() {
        return store.get(settings.prefix() + LOCK).map(s -> LeaseRecord.parse(s.bytes()))
                .filter(r -> !r.released()).map(LeaseRecord::holder);
    }

    @Override
    public Optional<LockInfo> forceUnlock(String lockId) {
        Optional<LockInfo> holder = lockHolder();
        if (holder.isEmpty()) {
            return holder;
        }
        if (lockId != null && holder.get().id() != null && !lockId.equals(holder.get().id())) {
            throw new TeeflowException("the lock of " + location() + " has id " + holder.get().id() + ", not " + lockId
                    + "; it is held by " + holder.get().describe());
        }
        store.delete(settings.prefix() + LOCK);
        return holder;
    }

    /**
     * Whether this backend takes the lock in the store: yes when the store honours conditional writes; a
     * store that does not is refused, unless the settings say runs are already one at a time.
     */
    private boolean lockByStore() {
        if (settings.lock() == LockMode.EXTERNAL) {
            if (!externalNoticeGiven.getAndSet(true)) {
                notice.accept("state lock: not taken in " + location() + " (lock: external): runs of this pipeline"
                    + " must be kept one at a time outside teeflow");
            }
            return false;
        }
        if (!conditionalWritesHonoured()) {
            throw new TeeflowException("the S3 store of " + location() + " ignores conditional writes ("
                    + conditional.problem() + "), so teeflow cannot lock the state there: two runs could both deploy"
                    + " and pay. Use a store that honours them (AWS S3, Cloudflare R2, Google Cloud Storage, MinIO),"
                    + " the postgres or git state backend, or, if something outside teeflow already lets only one run"
                    + " at a time use this state (a CI concurrency group), set lock: external in the state block");
        }
        return true;
    }

    private boolean conditionalWritesHonoured() {
        ConditionalWrites.Verdict v = conditional;
        if (v == null) {
            synchronized (this) {
                if (conditional == null) {
                    conditional = ConditionalWrites.probe(store, settings.prefix());
                }
                v = conditional;
            }
        }
        return v.honoured();
    }

    private String objectKey(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("..") || key.startsWith(".") || key.equals(LOCK)) {
            throw new IllegalArgumentException("bad state key '" + key + "'");
        }
        return settings.prefix() + key;
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return "s3 state " + location();
    }
}
