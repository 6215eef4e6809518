package dev.teeflow.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The one way teeflow replaces a file (state records, keys, devnet.json, ciphertexts, pid files...), so
 * that a reader, and the disk after a crash or a power cut, holds either the old content or the whole
 * new one: write a temporary file beside the target, flush it to disk (fsync), rename it over the
 * target, then flush the folder so the rename itself is durable.
 */
public final class AtomicFiles {
    /** rw-------: keys, secrets, files that list keys. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** rw-r--r--: files anyone on the machine may read. */
    public static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    /** Writes what {@code body} returns into its stream. */
    @FunctionalInterface
    public interface Writer<T> {
        T write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code content}: mode 0600 from the start when {@code ownerOnly}, else 0644. */
    public static void write(Path target, byte[] content, boolean ownerOnly) throws IOException {
        writeBytes(target, ownerOnly ? OWNER_ONLY : READABLE, content);
    }

    public static void writeBytes(Path target, Set<PosixFilePermission> permissions, byte[] content) throws IOException {
        write(target, permissions, out -> {
            out.write(content);
            return null;
        });
    }

    /**
     * Replaces {@code target} with what {@code body} writes. The temporary file has {@code permissions}
     * from its creation (a key is never readable by others, not even for a moment); {@code null} keeps
     * those of a new temporary file (0600).
     */
    public static <T> T write(Path target, Set<PosixFilePermission> permissions, Writer<T> body) throws IOException {
        Path temp = createTemp(target.toAbsolutePath().getParent(), target.getFileName().toString(), permissions);
        try {
            T result;
            try (OutputStream out = Files.newOutputStream(temp)) {
                result = body.write(out);
            }
            move(temp, target);
            return result;
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * A hidden temporary file beside a target in {@code dir} (made if missing), for callers that fill it
     * themselves (a copy, another library's writer); finish with {@link #move}.
     */
    public static Path createTemp(Path dir, String name, Set<PosixFilePermission> permissions) throws IOException {
        Files.createDirectories(dir);
        String prefix = "." + name + ".";
        if (permissions != null && dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(permissions);
            Path temp = Files.createTempFile(dir, prefix, ".tmp", attr);
            Files.setPosixFilePermissions(temp, permissions); // the umask may have narrowed them
            return temp;
        }
        return Files.createTempFile(dir, prefix, ".tmp");
    }

    /**
     * Flushes {@code temp} to disk, renames it over {@code target} (atomically where the file system can)
     * and flushes the folder.
     */
    public static void move(Path temp, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        syncFolder(target.toAbsolutePath().getParent());
    }

    /** Makes a rename in {@code dir} durable; where a folder cannot be opened (not Linux), the rename stands as is. */
    private static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not every platform can open a folder; the file's own content is already on disk
        }
    }
}
