package dev.teeflow.state.remote.s3;

import dev.teeflow.engine.hash.Hashing;
import dev.teeflow.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * This machine's copies of the state's objects, each under its key and the ETag the store gave it, so that
 * a command reads the whole state with one listing and fetches only what changed since the last command
 * here (a no-op apply: no GET at all). The copies are the store's bytes, sealed by the state's encryption:
 * nothing here is readable without the state's key. Only a cache: a missing or stray file costs one GET,
 * never a wrong value, since a copy is used only when the listing shows that very ETag.
 */
final class S3BlobCache {
    private final Path dir;

    S3BlobCache(Path dir) {
        this.dir = dir;
    }

    /** The bytes kept for {@code object} at {@code etag}, if this machine has them. */
    Optional<byte[]> get(String object, String etag) {
        try {
            return Optional.of(Files.readAllBytes(file(object, etag)));
        } catch (IOException missing) {
            return Optional.empty();
        }
    }

    /** Keeps {@code bytes} as {@code object} at {@code etag}; a failure to keep them is only a later GET. */
    void put(String object, String etag, byte[] bytes) {
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(file(object, etag), bytes, true);
        } catch (IOException e) {
            // a cache that cannot be written is a cache that is not used
        }
    }

    /** Removes every copy but those of {@code current} (object and ETag pairs): what the store no longer holds. */
    void keepOnly(Set<Entry> current) {
        Set<String> names = current.stream().map(e -> name(e.object(), e.etag())).collect(Collectors.toSet());
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> !names.contains(f.getFileName().toString())).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // stale copies are never used (their ETag is not listed), only kept
        }
    }

    record Entry(String object, String etag) {
    }

    private Path file(String object, String etag) {
        return dir.resolve(name(object, etag));
    }

    /** A file name from the object key and its ETag (quotes or not: stores differ in how they list them). */
    private static String name(String object, String etag) {
        String bare = etag.startsWith("\"") && etag.endsWith("\"") && etag.length() > 1 ? etag.substring(1, etag.length() - 1) : etag;
        return Hashing.sha256Hex((object + "\n" + bare).getBytes(StandardCharsets.UTF_8)) + ".blob";
    }
}
