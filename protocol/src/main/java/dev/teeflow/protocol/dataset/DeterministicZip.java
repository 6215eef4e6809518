package dev.teeflow.protocol.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Zips a folder so that the same folder content always gives the same bytes: entries sorted by path,
 * one fixed timestamp, no owner or permission bits (java.util.zip writes none), a fixed compression
 * level. iExec datasets are single files, so a folder is zipped before it is encrypted. Symbolic
 * links are followed; a link that loops back to a parent is an error.
 */
public final class DeterministicZip {
    /** The earliest time a zip can hold; every entry gets it, so file times never change the bytes. */
    static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0, 0);

    /** One file or folder of the tree, by its path inside the zip ('/' separators, folders end in '/'). */
    public record Entry(String name, Path path, boolean directory, long size, long modifiedMillis) {
    }

    private DeterministicZip() {
    }

    /** Every entry of {@code folder}, sorted as they will be zipped. */
    public static List<Entry> list(Path folder) throws IOException {
        Path root = folder.toAbsolutePath().normalize();
        List<Entry> entries = new ArrayList<>();
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            if (!dir.equals(root)) {
                                entries.add(new Entry(name(root, dir) + "/", dir, true, 0, 0));
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                            if (!attrs.isRegularFile()) {
                                throw new DatasetFormatException("folder " + folder + ": '" + name(root, file)
                                        + "' is not a regular file or folder (a broken link, a pipe or a device);"
                                        + " remove it from the dataset folder");
                            }
                            entries.add(new Entry(name(root, file), file, false, attrs.size(),
                                    attrs.lastModifiedTime().toMillis()));
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                            if (e instanceof FileSystemLoopException) {
                                throw new DatasetFormatException("folder " + folder + ": the symbolic link '"
                                        + name(root, file) + "' points back to one of its parent folders (a loop);"
                                        + " remove or replace that link");
                            }
                            if (e instanceof AccessDeniedException) {
                                throw new DatasetFormatException("folder " + folder + ": cannot read '"
                                        + name(root, file) + "' (permission denied)");
                            }
                            if (e instanceof NoSuchFileException && !file.equals(root)) {
                                throw new DatasetFormatException("folder " + folder + ": '" + name(root, file)
                                        + "' is a symbolic link to something that does not exist");
                            }
                            throw e;
                        }
                    });
        } catch (AccessDeniedException e) {
            throw new DatasetFormatException("folder " + folder + ": cannot read '" + e.getFile() + "' (permission denied)");
        }
        entries.sort(Comparator.comparing(Entry::name));
        return entries;
    }

    /** Zips {@code folder} into {@code out} (closed at the end). */
    public static void zip(Path folder, OutputStream out) throws IOException {
        write(list(folder), out);
    }

    /** Zips the given entries, as {@link #list} returned them, into {@code out} (closed at the end). */
    public static void write(List<Entry> entries, OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.DEFAULT_COMPRESSION);
            byte[] buf = new byte[1 << 16];
            for (Entry e : entries) {
                ZipEntry ze = new ZipEntry(e.name());
                ze.setTimeLocal(FIXED_TIME);
                zip.putNextEntry(ze);
                if (!e.directory()) {
                    try (InputStream in = Files.newInputStream(e.path())) {
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            zip.write(buf, 0, n);
                        }
                    } catch (AccessDeniedException ex) {
                        throw new DatasetFormatException("cannot read '" + e.name() + "' (permission denied)");
                    }
                }
                zip.closeEntry();
            }
        }
    }

    private static String name(Path root, Path p) {
        return root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
    }
}
