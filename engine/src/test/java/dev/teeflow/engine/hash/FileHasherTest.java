package dev.teeflow.engine.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.TeeflowException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHasherTest {
    @TempDir
    Path dir;

    @Test
    void anUnchangedFileIsNotReadAgainAfterItsHashWasRemembered() throws Exception {
        Path f = dir.resolve("a.txt");
        Files.writeString(f, "one");
        FileTime old = FileTime.from(Instant.now().minusSeconds(60));
        Files.setLastModifiedTime(f, old);
        FileHasher hasher = new FileHasher(dir.resolve("hashes.json"));
        String first = hasher.hashFile(f);
        hasher.save();

        // Same size and mtime but other bytes: the fast path trusts size + mtime, as git does.
        Files.writeString(f, "two");
        Files.setLastModifiedTime(f, old);
        assertThat(new FileHasher(dir.resolve("hashes.json")).hashFile(f)).isEqualTo(first);

        Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(30)));
        assertThat(new FileHasher(dir.resolve("hashes.json")).hashFile(f)).isNotEqualTo(first)
                .isEqualTo(Hashing.sha256Hex("two"));
    }

    @Test
    void aTreeHashDependsOnNamesAndContentsAndHonoursTheFilter() throws Exception {
        Files.createDirectories(dir.resolve("t/sub"));
        Files.writeString(dir.resolve("t/a"), "A");
        Files.writeString(dir.resolve("t/sub/b"), "B");
        Files.writeString(dir.resolve("t/ignored.log"), "noise");
        FileHasher hasher = new FileHasher(null);
        String h1 = hasher.hashTree(dir.resolve("t"), p -> !p.endsWith(".log"));
        Files.writeString(dir.resolve("t/ignored.log"), "more noise");
        assertThat(hasher.hashTree(dir.resolve("t"), p -> !p.endsWith(".log"))).isEqualTo(h1);
        Files.move(dir.resolve("t/sub/b"), dir.resolve("t/sub/c"));
        assertThat(hasher.hashTree(dir.resolve("t"), p -> !p.endsWith(".log"))).isNotEqualTo(h1);
    }

    @Test
    void aSymlinkLoopIsAClearError() throws Exception {
        Files.createDirectories(dir.resolve("loop"));
        Files.createSymbolicLink(dir.resolve("loop/self"), dir.resolve("loop"));
        assertThatThrownBy(() -> new FileHasher(null).hashTree(dir.resolve("loop"), p -> true))
                .isInstanceOf(TeeflowException.class).hasMessageContaining("symbolic link loop");
    }
}
