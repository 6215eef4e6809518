package dev.teeflow.engine.state;

import dev.teeflow.engine.TeeflowException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A run's hold on its state's lock: taken (waiting up to a timeout, then naming the holder), renewed in
 * the background while the run lives, and released when closed. A run whose lease could not be renewed
 * learns it from {@link #lost()} and stops before it writes or sends anything more.
 */
public final class StateLease implements AutoCloseable {
    /** How long a lease runs without renewal; a dead holder's lock is taken over this long after its last renewal. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);

    private final StateBackend backend;
    private final LockInfo me;
    private final Duration lease;
    private final ScheduledExecutorService renewer;
    private final AtomicReference<String> lost = new AtomicReference<>();

    private StateLease(StateBackend backend, LockInfo me, Duration lease) {
        this.backend = backend;
        this.me = me;
        this.lease = lease;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "teeflow-lease");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, lease.toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /** Takes the lock for {@code operation}, waiting up to {@code timeout} for the holder to let go or its lease to end. */
    public static StateLease acquire(StateBackend backend, String operation, Map<String, String> env,
                                     Duration timeout, Duration lease) {
        LockInfo me = LockInfo.ofThisProcess(operation, env);
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 50;
        boolean told = false;
        while (true) {
            StateBackend.LockAttempt attempt = backend.tryLock(me, lease);
            if (attempt.taken()) {
                return new StateLease(backend, attempt.holder() == null ? me : attempt.holder(), lease);
            }
            if (System.nanoTime() >= deadline) {
                throw new LockedException(lockedMessage(backend, attempt.holder()), attempt.holder());
            }
            if (!told) {
                // said once, so a run that seems stuck says who it waits for
                told = true;
                System.err.println("teeflow: waiting up to " + timeout.toSeconds() + "s for the state lock (" + backend.location()
                        + "), held by " + (attempt.holder() == null ? "another run" : attempt.holder().describe()));
                System.err.flush();
            }
            sleep(pause);
            pause = Math.min(pause * 2, 1000);
        }
    }

    public LockInfo holder() {
        return me;
    }

    /** Why the lock was lost (its lease ran out and another run took it, or it was forced), or null while held. */
    public String lost() {
        return lost.get();
    }

    private void renew() {
        try {
            if (!backend.renewLock(me, lease)) {
                lost.compareAndSet(null, "the state lock " + me.id() + " is no longer this run's (its lease ran out and "
                        + "another run took it, or it was forced open)");
            }
        } catch (RuntimeException e) {
            // A failed renewal is retried at the next tick; the lease outlives two missed ones.
        }
    }

    @Override
    public void close() {
        renewer.shutdownNow();
        if (lost.get() == null) {
            backend.releaseLock(me);
        }
    }

    static String lockedMessage(StateBackend backend, LockInfo holder) {
        String who = holder == null ? "another run" : holder.describe();
        String where = backend instanceof LocalStateBackend local ? local.lockFile().toString() : backend.location();
        String unlock = !backend.isRemote() || holder == null || holder.id() == null ? ""
                : "; if that run died, its lease ends by itself, or run teeflow force-unlock " + holder.id();
        return "the state " + (backend.isRemote() ? "" : "directory ") + "is locked by " + who + " (" + where
                + "); wait for it to finish, or pass --lock-timeout to wait longer" + unlock;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TeeflowException("interrupted while waiting for the state lock");
        }
    }
}
