package dev.teeflow.engine.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.engine.TeeflowException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * Guards a state directory against two runs at once. The lock is a file created exclusively and
 * holding who took it; it is released on close. A holder that died leaves the file behind:
 * {@link #forceUnlock} removes it, and the message for a waiting run says so.
 */
public final class StateLock implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final LockInfo info;

    private StateLock(Path file, LockInfo info) {
        this.file = file;
        this.info = info;
    }

    /** Takes the lock, waiting up to {@code timeout} for another holder to let go. */
    public static StateLock acquire(Path file, String operation, Duration timeout) {
        LockInfo me = LockInfo.ofThisProcess(operation);
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 50;
        while (true) {
            try {
                Files.createDirectories(file.getParent());
                Files.write(file, JSON.writeValueAsBytes(me), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return new StateLock(file, me);
            } catch (FileAlreadyExistsException e) {
                if (System.nanoTime() >= deadline) {
                    Optional<LockInfo> holder = read(file);
                    throw new LockedException(lockedMessage(file, holder, me.host()), holder.orElse(null));
                }
                sleep(pause);
                pause = Math.min(pause * 2, 500);
            } catch (IOException e) {
                throw new TeeflowException("cannot create the lock " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** The current holder, if the lock is held. */
    public static Optional<LockInfo> read(Path file) {
        try {
            return Files.exists(file) ? Optional.ofNullable(JSON.readValue(file.toFile(), LockInfo.class)) : Optional.empty();
        } catch (IOException e) {
            return Optional.of(new LockInfo("unknown", "unknown", -1, "unknown (unreadable lock file)", "unknown"));
        }
    }

    /** Removes the lock whoever holds it; returns the holder it removed. */
    public static Optional<LockInfo> forceUnlock(Path file) {
        Optional<LockInfo> holder = read(file);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new TeeflowException("cannot remove the lock " + file + ": " + e.getMessage(), e);
        }
        return holder;
    }

    public LockInfo info() {
        return info;
    }

    @Override
    public void close() {
        try {
            // Only remove the lock if it is still ours (force-unlock may have handed it to someone else).
            Optional<LockInfo> current = read(file);
            if (current.isPresent() && current.get().pid() == info.pid() && current.get().time().equals(info.time())) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new TeeflowException("cannot release the lock " + file + ": " + e.getMessage(), e);
        }
    }

    private static String lockedMessage(Path file, Optional<LockInfo> holder, String thisHost) {
        if (holder.isEmpty()) {
            return "the state directory is locked (" + file + ")";
        }
        LockInfo h = holder.get();
        String gone = h.holderIsGone(thisHost)
                ? "; that process is no longer running: run 'teeflow force-unlock' to release the lock"
                : "; wait for it to finish, or pass --lock-timeout to wait longer";
        return "the state directory is locked by " + h.describe() + gone;
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
