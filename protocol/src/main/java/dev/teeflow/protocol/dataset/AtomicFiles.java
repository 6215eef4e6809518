package dev.teeflow.protocol.dataset;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file so that readers see either the old content or the whole new one: write a temp file
 * next to the target, then rename it over. A crash leaves at most a hidden temp file, never a
 * half-written target.
 */
public final class AtomicFiles {
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** Writes what {@code body} returns into its stream. */
    @FunctionalInterface
    public interface Writer<T> {
        T write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically; with {@code permissions} the temp file is created with them
     * (so a key is never readable by others, not even for a moment).
     */
    public static <T> T write(Path target, Set<PosixFilePermission> permissions, Writer<T> body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = createTemp(dir, target.getFileName().toString(), permissions);
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

    public static void writeBytes(Path target, Set<PosixFilePermission> permissions, byte[] content) throws IOException {
        write(target, permissions, out -> {
            out.write(content);
            return null;
        });
    }

    /** A temp file next to {@code target}, for callers that fill it themselves; see {@link #move}. */
    public static Path createTemp(Path dir, String name, Set<PosixFilePermission> permissions) throws IOException {
        String prefix = "." + name + ".";
        if (permissions != null && supportsPosix(dir)) {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(permissions);
            return Files.createTempFile(dir, prefix, ".tmp", attr);
        }
        return Files.createTempFile(dir, prefix, ".tmp");
    }

    /** Renames {@code temp} over {@code target}, atomically where the file system can. */
    public static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static boolean supportsPosix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
