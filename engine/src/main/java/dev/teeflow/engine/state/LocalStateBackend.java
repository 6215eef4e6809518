package dev.teeflow.engine.state;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.hash.Hashing;
import dev.teeflow.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The state directory on this machine ({@code .teeflow/} beside the pipeline file by default), the default
 * backend. A key is a file under the directory, written atomically (temp file + rename); step secrets and
 * the project key are mode 0600 in 0700 folders, and so is every encrypted file. The lock is an
 * operating-system lock on the file {@code lock} ({@link StateLock}): the kernel releases it when its
 * holder dies, so the lease plays no part. No history is kept: {@link #history} is the current version.
 */
public final class LocalStateBackend implements StateBackend {
    private final Path root;
    private final Map<String, StateLock> held = new ConcurrentHashMap<>();

    public LocalStateBackend(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path file(String key) {
        Path file = root.resolve(key).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new IllegalArgumentException("bad state key '" + key + "'");
        }
        return file;
    }

    public Path lockFile() {
        return root.resolve("lock");
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public String where(String key) {
        return file(key).toString();
    }

    @Override
    public boolean isRemote() {
        return false;
    }

    @Override
    public Optional<Blob> get(String key) {
        Path file = file(key);
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(file);
            return Optional.of(new Blob(bytes, Hashing.sha256Hex(bytes)));
        } catch (java.nio.file.NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            throw new TeeflowException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String put(String key, byte[] bytes, String expected) {
        Path file = file(key);
        try {
            boolean ownerOnly = isPrivate(key) || StateCipher.isSealed(bytes);
            if (key.startsWith("secrets/")) {
                makePrivateFolders(file.getParent());
            }
            if (ABSENT.equals(expected)) {
                createOnly(file, bytes, ownerOnly, key);
            } else {
                if (!ANY.equals(expected)) {
                    String current = get(key).map(Blob::version).orElse(ABSENT);
                    if (!current.equals(expected)) {
                        throw new ConflictException(file + " changed since it was read (someone else wrote it)");
                    }
                }
                AtomicFiles.write(file, bytes, ownerOnly);
            }
            return Hashing.sha256Hex(bytes);
        } catch (IOException e) {
            throw new TeeflowException(e.getMessage(), e);
        }
    }

    /** Writes a new file beside the target and links it in: the link fails if the target appeared meanwhile. */
    private void createOnly(Path file, byte[] bytes, boolean ownerOnly, String key) throws IOException {
        Path staged = file.resolveSibling("." + file.getFileName() + ".new");
        AtomicFiles.write(staged, bytes, ownerOnly);
        try {
            Files.createLink(file, staged);
        } catch (FileAlreadyExistsException e) {
            throw new ConflictException(file + " already exists (someone else made it)");
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    @Override
    public void delete(String key) {
        Path file = file(key);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new TeeflowException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        int slash = prefix.lastIndexOf('/');
        Path dir = slash < 0 ? root : file(prefix.substring(0, slash));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .map(f -> root.relativize(f).toString().replace('\\', '/'))
                    .filter(k -> k.startsWith(prefix))
                    .sorted()
                    .forEach(out::add);
        } catch (IOException e) {
            throw new TeeflowException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public List<Revision> history(String key) {
        Path file = file(key);
        return get(key).map(b -> {
            String time;
            try {
                time = Files.getLastModifiedTime(file).toInstant().toString();
            } catch (IOException e) {
                time = "unknown";
            }
            return List.of(new Revision(b.version(), time, b.bytes()));
        }).orElse(List.of());
    }

    @Override
    public LockAttempt tryLock(LockInfo me, Duration lease) {
        StateLock lock = StateLock.tryAcquire(lockFile(), me);
        if (lock == null) {
            return LockAttempt.heldBy(StateLock.read(lockFile()).orElse(null));
        }
        held.put(me.id(), lock);
        return LockAttempt.taken(me);
    }

    @Override
    public boolean renewLock(LockInfo me, Duration lease) {
        return held.containsKey(me.id()); // the kernel keeps it for as long as this process lives
    }

    @Override
    public void releaseLock(LockInfo me) {
        StateLock lock = held.remove(me.id());
        if (lock != null) {
            lock.close();
        }
    }

    @Override
    public Optional<LockInfo> lockHolder() {
        return StateLock.read(lockFile());
    }

    @Override
    public Optional<LockInfo> forceUnlock(String lockId) {
        Optional<LockInfo> holder = StateLock.read(lockFile());
        if (lockId != null && holder.isPresent() && holder.get().id() != null && !lockId.equals(holder.get().id())) {
            throw new TeeflowException("the lock of " + root + " has id " + holder.get().id() + ", not " + lockId
                    + "; it is held by " + holder.get().describe());
        }
        return StateLock.forceUnlock(lockFile());
    }

    private static boolean isPrivate(String key) {
        return key.startsWith("secrets/") || key.equals(StateStore.PROJECT_KEY);
    }

    private void makePrivateFolders(Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        if (!Files.exists(dir)) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // another thread made it: same folder
            }
        }
    }

    @Override
    public String toString() {
        return "local state " + root;
    }
}
