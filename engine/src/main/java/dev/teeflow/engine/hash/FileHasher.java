package dev.teeflow.engine.hash;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Content hashes of files and folders, remembering each file's size and modification time with its
 * hash so that an unchanged tree of thousands of files is not read again (Git's index does the same).
 * The memory is saved to one file in the state directory at the end of a run.
 */
public final class FileHasher {
    /** What was known of one file when it was last hashed. */
    record Entry(long size, long mtimeNanos, String sha256) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path store;
    private final Map<String, Entry> known = new ConcurrentHashMap<>();
    private volatile boolean dirty;

    /** A hasher remembering hashes in {@code store} (may be {@code null} for none). */
    public FileHasher(Path store) {
        this.store = store;
        if (store != null && Files.isRegularFile(store)) {
            try {
                Map<String, Entry> loaded = JSON.readValue(store.toFile(), new TypeReference<Map<String, Entry>>() { });
                known.putAll(loaded);
            } catch (IOException e) {
                // A damaged memory only costs re-reading files; it never changes a result.
                known.clear();
            }
        }
    }

    /** sha256 hex of a regular file's content. */
    public String hashFile(Path file) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                throw new TeeflowException(file + " is not a regular file");
            }
            String key = file.toAbsolutePath().normalize().toString();
            long mtime = attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
            Entry entry = known.get(key);
            if (entry != null && entry.size() == attrs.size() && entry.mtimeNanos() == mtime
                    && !modifiedTooRecently(mtime)) {
                return entry.sha256();
            }
            String hash = readHash(file);
            known.put(key, new Entry(attrs.size(), mtime, hash));
            dirty = true;
            return hash;
        } catch (IOException e) {
            throw new TeeflowException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A hash over a folder: every included regular file's relative path (with '/') and content hash,
     * in sorted order. Symbolic links are followed only to files; a link loop is an error.
     */
    public String hashTree(Path dir, Predicate<String> include) {
        List<String> lines = new ArrayList<>();
        try {
            Files.walkFileTree(dir, java.util.EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile()) {
                                String rel = dir.relativize(file).toString().replace('\\', '/');
                                if (include.test(rel)) {
                                    lines.add(rel + "\0" + hashFile(file));
                                }
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                            if (e instanceof java.nio.file.FileSystemLoopException) {
                                throw new TeeflowException("symbolic link loop at " + file);
                            }
                            throw e;
                        }
                    });
        } catch (IOException e) {
            throw new TeeflowException("cannot read folder " + dir + ": " + e.getMessage(), e);
        }
        lines.sort(String::compareTo);
        MessageDigest md = Hashing.sha256();
        for (String line : lines) {
            md.update(line.getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Hash of a file, or of a folder as {@link #hashTree}; "missing" when it does not exist. */
    public String hashPath(Path path, Predicate<String> include) {
        if (Files.isDirectory(path)) {
            return "tree:" + hashTree(path, include);
        }
        if (Files.isRegularFile(path)) {
            return hashFile(path);
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new TeeflowException(path + " is neither a file nor a folder");
        }
        return "missing";
    }

    /** Saves what was learnt, atomically; a no-op when nothing changed. */
    public void save() {
        if (store == null || !dirty) {
            return;
        }
        try {
            AtomicFiles.write(store, JSON.writeValueAsBytes(known), false);
            dirty = false;
        } catch (IOException e) {
            throw new TeeflowException("cannot save file hashes to " + store + ": " + e.getMessage(), e);
        }
    }

    /**
     * A file written in the same clock tick as we look at it could change again without its mtime
     * changing; don't trust the fast path for it (the "racy git" problem).
     */
    private static boolean modifiedTooRecently(long mtimeNanos) {
        return System.currentTimeMillis() * 1_000_000L - mtimeNanos < 2_000_000_000L;
    }

    private static String readHash(Path file) throws IOException {
        MessageDigest md = Hashing.sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
