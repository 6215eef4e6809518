package dev.teeflow.engine.spi;

import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * A file or folder whose contents enter a step's cache key. For a folder, {@code include} decides
 * which files count (given their path relative to the folder, with '/' separators), so that a Docker
 * context can honour its .dockerignore.
 */
public record InputFile(String name, Path path, Predicate<String> include) {
    public static InputFile of(String name, Path path) {
        return new InputFile(name, path, p -> true);
    }
}
