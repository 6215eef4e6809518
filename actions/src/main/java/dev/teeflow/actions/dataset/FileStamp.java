package dev.teeflow.actions.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** A file's size and modification time: when both are unchanged, its content is taken as unchanged without reading it. */
final class FileStamp {
    private FileStamp() {
    }

    /**
     * Gives {@code file} the modification time of {@code stamp} when its size is the stamp's: a file made again
     * byte for byte then has the stamp it was recorded with. Best effort: a file system that refuses keeps its time.
     */
    static void restore(Path file, String stamp) {
        int colon = stamp.indexOf(':');
        try {
            if (colon > 0 && Files.size(file) == Long.parseLong(stamp.substring(0, colon))) {
                Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(Long.parseLong(stamp.substring(colon + 1))));
            }
        } catch (IOException | NumberFormatException e) {
            // the stamp stays as the file system has it: the checksum is then read again when checked
        }
    }

    static String of(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.size() + ":" + a.lastModifiedTime().toMillis();
        } catch (java.nio.file.NoSuchFileException e) {
            return "missing";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
