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
