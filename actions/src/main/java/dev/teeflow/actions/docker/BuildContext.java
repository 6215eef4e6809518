package dev.teeflow.actions.docker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The files of a Docker build context that Docker would see: the folder walked with its
 * {@code .dockerignore} applied (skipping ignored folders without reading them when no exception
 * could bring something back). The same rules decide the step's cache key and the tar sent to Docker,
 * so what is hashed is what is built.
 */
public final class BuildContext {
    /** teeflow's own state folder: never part of a context, or every run would change the context. */
    public static final String STATE_DIR = ".teeflow";

    private final Path root;
    private final DockerIgnore ignore;
    private final List<String> teeflowOwned;

    public BuildContext(Path root, DockerIgnore ignore) {
        this(root, ignore, List.of());
    }

    /**
     * @param teeflowOwned files and folders teeflow writes or reads itself (the pipeline file, fetch
     *                     folders), '/'-separated and relative to {@code root}: never part of the context
     */
    public BuildContext(Path root, DockerIgnore ignore, List<String> teeflowOwned) {
        this.root = root.toAbsolutePath().normalize();
        this.ignore = ignore;
        this.teeflowOwned = List.copyOf(teeflowOwned);
    }

    public static BuildContext of(Path root) throws IOException {
        return of(root, List.of());
    }

    /** The context at {@code root}, without {@code teeflowOwned} (relative to {@code root}). */
    public static BuildContext of(Path root, List<String> teeflowOwned) throws IOException {
        return new BuildContext(root, DockerIgnore.forContext(root), teeflowOwned);
    }

    public Path root() {
        return root;
    }

    public DockerIgnore ignore() {
        return ignore;
    }

    /** Whether Docker receives the file or folder at {@code rel} (relative, '/'-separated). */
    public boolean includes(String rel) {
        return !isTeeflows(rel) && !ignore.isExcluded(rel);
    }

    private boolean isTeeflows(String rel) {
        if (rel.equals(STATE_DIR) || rel.startsWith(STATE_DIR + "/")) {
            return true;
        }
        for (String owned : teeflowOwned) {
            if (rel.equals(owned) || rel.startsWith(owned + "/")) {
                return true;
            }
        }
        return false;
    }

    /** Relative paths ('/'-separated, sorted) of the files and folders Docker would receive. */
    public List<String> entries() throws IOException {
        List<String> out = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                String rel = relative(dir);
                if (isTeeflows(rel) || ignore.canSkipFolder(rel)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (includes(rel)) {
                    out.add(rel);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String rel = relative(file);
                if (includes(rel)) {
                    out.add(rel);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        Collections.sort(out);
        return out;
    }

    /**
     * Writes the context as a tar stream. {@code dockerfile} is added under {@code dockerfileName}
     * even when ignored or outside the context, because Docker needs it to build.
     */
    public void writeTar(OutputStream target, Path dockerfile, String dockerfileName) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(target)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (String rel : entries()) {
                if (rel.equals(dockerfileName)) {
                    continue;
                }
                addEntry(tar, root.resolve(rel), rel);
            }
            addEntry(tar, dockerfile, dockerfileName);
            tar.finish();
        }
    }

    private static void addEntry(TarArchiveOutputStream tar, Path file, String name) throws IOException {
        if (Files.isSymbolicLink(file)) {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(file).toString());
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return;
        }
        boolean dir = Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS);
        TarArchiveEntry e = new TarArchiveEntry(file, dir ? name + "/" : name, LinkOption.NOFOLLOW_LINKS);
        e.setMode(modeOf(file, dir));
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("");
        e.setGroupName("");
        tar.putArchiveEntry(e);
        if (!dir) {
            Files.copy(file, tar);
        }
        tar.closeArchiveEntry();
    }

    private static int modeOf(Path file, boolean dir) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            int mode = 0;
            for (PosixFilePermission p : perms) {
                mode |= 1 << (8 - p.ordinal());
            }
            return (dir ? 040000 : 0100000) | mode;
        } catch (IOException | UnsupportedOperationException e) {
            return dir ? 040755 : 0100644;
        }
    }

    private String relative(Path p) {
        String rel = root.relativize(p).toString();
        return p.getFileSystem().getSeparator().equals("/") ? rel : rel.replace(p.getFileSystem().getSeparator(), "/");
    }
}
