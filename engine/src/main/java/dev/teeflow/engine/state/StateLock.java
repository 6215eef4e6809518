package dev.teeflow.engine.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.engine.TeeflowException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * Guards a state directory against two runs at once with an operating-system lock on the file
 * {@code lock}, which also holds who took it (for the message a waiting run prints). The kernel
 * releases the lock when its holder exits in any way, {@code kill -9} included, so a crashed run never
 * blocks the next one. {@link #forceUnlock} removes the file, for the rare case the lock lives on a
 * file system without working locks.
 */
public final class StateLock implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FileChannel channel;
    private final FileLock lock;
    private final LockInfo info;

    private StateLock(FileChannel channel, FileLock lock, LockInfo info) {
        this.channel = channel;
        this.lock = lock;
        this.info = info;
    }

    /** Takes the lock, waiting up to {@code timeout} for another run to let go. */
    public static StateLock acquire(Path file, String operation, Duration timeout) {
        LockInfo me = LockInfo.ofThisProcess(operation);
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 50;
        while (true) {
            FileChannel channel = open(file);
            FileLock lock = tryLock(channel);
            if (lock != null) {
                try {
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(me)), 0);
                    channel.force(true);
                    return new StateLock(channel, lock, me);
                } catch (IOException e) {
                    closeQuietly(channel);
                    throw new TeeflowException("cannot write the lock " + file + ": " + e.getMessage(), e);
                }
            }
            closeQuietly(channel);
            if (System.nanoTime() >= deadline) {
                Optional<LockInfo> holder = read(file);
                throw new LockedException(lockedMessage(file, holder), holder.orElse(null));
            }
            sleep(pause);
            pause = Math.min(pause * 2, 500);
        }
    }

    /**
     * Takes the lock for {@code me} if no one holds it, without waiting; {@code null} when another
     * process (or another run in this JVM) holds it.
     */
    public static StateLock tryAcquire(Path file, LockInfo me) {
        FileChannel channel = open(file);
        FileLock lock = tryLock(channel);
        if (lock == null) {
            closeQuietly(channel);
            return null;
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(me)), 0);
            channel.force(true);
            return new StateLock(channel, lock, me);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new TeeflowException("cannot write the lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** Who holds, or last held, the lock, as its file says. */
    public static Optional<LockInfo> read(Path file) {
        try {
            if (!Files.exists(file) || Files.size(file) == 0) {
                return Optional.empty();
            }
            return Optional.ofNullable(JSON.readValue(Files.readAllBytes(file), LockInfo.class));
        } catch (IOException e) {
            return Optional.of(new LockInfo("unknown", "unknown", -1, "unknown (unreadable lock file)", "unknown"));
        }
    }

    /** Removes the lock file whoever holds it; returns who it named. Make sure no run is going on. */
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
            // Empty the file rather than delete it: deleting a locked file lets a waiter lock the old,
            // unlinked file while a third run locks a new one.
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            throw new TeeflowException("cannot release the state lock: " + e.getMessage(), e);
        } finally {
            closeQuietly(channel);
        }
    }

    private static FileChannel open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new TeeflowException("cannot open the lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** The lock, or {@code null} when another process (or another apply in this JVM) holds it. */
    private static FileLock tryLock(FileChannel channel) {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            return null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new TeeflowException("cannot lock the state directory: " + e.getMessage(), e);
        }
    }

    private static String lockedMessage(Path file, Optional<LockInfo> holder) {
        String who = holder.map(LockInfo::describe).orElse("another run");
        return "the state directory is locked by " + who + " (" + file + "); wait for it to finish, or pass"
                + " --lock-timeout to wait longer";
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do with a channel we are giving up
        }
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
