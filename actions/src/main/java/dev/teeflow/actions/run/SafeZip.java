package dev.teeflow.actions.run;

import dev.teeflow.engine.TeeflowException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reading untrusted result zips: no entry may leave the target folder (zip-slip: {@code ../}, absolute
 * paths, drive letters), and sizes are bounded per entry, in total and in count (zip bombs), whatever
 * the headers claim.
 */
final class SafeZip {
    static final long MAX_TOTAL = 1L << 30;       // 1 GiB unpacked
    static final int MAX_ENTRIES = 10_000;

    private SafeZip() {
    }

    /** Entries of a small zip in memory, each at most {@code maxEach} bytes. */
    static Map<String, byte[]> read(byte[] zip, long maxEach) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (out.size() >= MAX_ENTRIES) {
                    throw new TeeflowException("the result zip has more than " + MAX_ENTRIES + " entries");
                }
                if (!e.isDirectory()) {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    copy(in, b, maxEach, e.getName());
                    out.put(e.getName(), b.toByteArray());
                }
            }
        } catch (IOException ex) {
            throw new TeeflowException("the result is not a readable zip: " + ex.getMessage());
        }
        return out;
    }

    /** Unpacks into {@code dir} (which must exist); returns the files' relative paths, sorted. */
    static List<String> unzip(byte[] zip, Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        List<String> files = new ArrayList<>();
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            int count = 0;
            while ((e = in.getNextEntry()) != null) {
                if (++count > MAX_ENTRIES) {
                    throw new TeeflowException("the result zip has more than " + MAX_ENTRIES + " entries");
                }
                String name = e.getName().replace('\\', '/');
                Path target = root.resolve(name).normalize();
                if (name.startsWith("/") || name.matches("^[A-Za-z]:.*") || !target.startsWith(root) || target.equals(root)) {
                    throw new TeeflowException("the result zip holds an entry that would be written outside "
                            + root + " ('" + e.getName() + "'); nothing of it is kept");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target)) {
                    total += copy(in, out, MAX_TOTAL - total, e.getName());
                }
                files.add(root.relativize(target).toString().replace('\\', '/'));
            }
        } catch (IOException ex) {
            throw new TeeflowException("cannot unpack the result into " + root + ": " + ex.getMessage());
        }
        files.sort(String::compareTo);
        return files;
    }

    private static long copy(InputStream in, OutputStream out, long max, String name) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long n = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            n += r;
            if (n > max) {
                throw new TeeflowException("the result zip's entry '" + name + "' unpacks to more than the allowed "
                        + max + " bytes; refusing it");
            }
            out.write(buf, 0, r);
        }
        return n;
    }
}
