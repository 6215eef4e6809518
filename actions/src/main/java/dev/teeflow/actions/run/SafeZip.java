package dev.teeflow.actions.run;

import dev.teeflow.engine.TeeflowException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reading untrusted result zips: no entry may leave the target folder (zip-slip: {@code ../}, absolute
 * paths, drive letters), and what is unpacked is counted as it streams, whatever the headers claim: per
 * entry, in total, in count, and against the archive's size (a zip bomb: a few MB that unpack to GBs).
 * Unpacking goes to a temporary folder that replaces the target only when the whole archive passed.
 */
final class SafeZip {
    static final long MAX_TOTAL = 1L << 30;       // 1 GiB unpacked
    static final int MAX_ENTRIES = 10_000;
    /** Unpacked bytes per archive byte, once more than {@link #RATIO_FREE} bytes were unpacked. */
    static final long MAX_RATIO = 50;
    static final long RATIO_FREE = 32L << 20;     // small results may compress better than the ratio

    private SafeZip() {
    }

    /** Entries of a small zip in memory, each at most {@code maxEach} bytes. */
    static Map<String, byte[]> read(byte[] zip, long maxEach) {
        return read(zip, maxEach, null);
    }

    /**
     * Entries named in {@code wanted} (all when null) in memory, each at most {@code maxEach} bytes; the
     * others are streamed through the same bounds and dropped.
     */
    static Map<String, byte[]> read(byte[] zip, long maxEach, Set<String> wanted) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        Budget budget = new Budget(zip.length);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                budget.entry();
                if (e.isDirectory()) {
                    continue;
                }
                boolean keep = wanted == null || wanted.contains(e.getName());
                ByteArrayOutputStream b = keep ? new ByteArrayOutputStream() : null;
                copy(in, b == null ? OutputStream.nullOutputStream() : b, maxEach, e.getName(), budget);
                if (keep) {
                    out.put(e.getName(), b.toByteArray());
                }
            }
        } catch (IOException ex) {
            throw new TeeflowException("the result is not a readable zip: " + ex.getMessage());
        }
        return out;
    }

    /**
     * Unpacks into {@code dir}, which must be missing or empty; returns the files' relative paths, sorted.
     * A refused archive leaves {@code dir} as it was and nothing beside it.
     */
    static List<String> unzip(byte[] zip, Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        Path staging = root.resolveSibling("." + root.getFileName() + ".teeflow-unpacking");
        try {
            deleteTree(staging); // left by a run that died while unpacking
            List<String> files = unzipInto(zip, Files.createDirectories(staging), root);
            if (Files.isDirectory(root)) {
                Files.delete(root); // empty (the caller emptied it): a non-empty folder is refused here
            }
            Files.move(staging, root, StandardCopyOption.ATOMIC_MOVE);
            return files;
        } catch (IOException ex) {
            deleteQuietly(staging);
            throw new TeeflowException("cannot unpack the result into " + root + ": " + ex.getMessage());
        } catch (RuntimeException ex) {
            deleteQuietly(staging);
            throw ex;
        }
    }

    private static List<String> unzipInto(byte[] zip, Path staging, Path root) throws IOException {
        List<String> files = new ArrayList<>();
        Budget budget = new Budget(zip.length);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                budget.entry();
                String name = e.getName().replace('\\', '/');
                Path target = staging.resolve(name).normalize();
                if (name.startsWith("/") || name.matches("^[A-Za-z]:.*") || !target.startsWith(staging) || target.equals(staging)) {
                    throw new TeeflowException("the result zip holds an entry that would be written outside "
                            + root + " ('" + e.getName() + "'); nothing of it is kept");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target)) {
                    copy(in, out, MAX_TOTAL, e.getName(), budget);
                }
                files.add(staging.relativize(target).toString().replace('\\', '/'));
            }
        }
        files.sort(String::compareTo);
        return files;
    }

    /** What one archive may still unpack: entries, total bytes, and bytes per archive byte. */
    private static final class Budget {
        private final long archiveSize;
        private int entries;
        private long total;

        Budget(long archiveSize) {
            this.archiveSize = Math.max(1, archiveSize);
        }

        void entry() {
            if (++entries > MAX_ENTRIES) {
                throw new TeeflowException("the result zip has more than " + MAX_ENTRIES + " entries; refusing it");
            }
        }

        void add(long n, String name) {
            total += n;
            if (total > MAX_TOTAL) {
                throw new TeeflowException("the result zip unpacks to more than " + MAX_TOTAL + " bytes (at entry '"
                        + name + "'); refusing it, nothing of it is kept");
            }
            if (total > RATIO_FREE && total > MAX_RATIO * archiveSize) {
                throw new TeeflowException("the result zip unpacks to more than " + MAX_RATIO + " times its size of "
                        + archiveSize + " bytes (a zip bomb?) at entry '" + name + "'; refusing it, nothing of it is kept");
            }
        }
    }

    private static void copy(InputStream in, OutputStream out, long max, String name, Budget budget) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long n = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            n += r;
            if (n > max) {
                throw new TeeflowException("the result zip's entry '" + name + "' unpacks to more than the allowed "
                        + max + " bytes; refusing it");
            }
            budget.add(r, name);
            out.write(buf, 0, r);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException ignored) {
            // best effort: the next unpack removes it first
        }
    }
}
