package dev.teeflow.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private long tempFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("sub"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).count();
        }
    }

    @Test
    void replacesTheFileWholeWithTheAskedModeAndLeavesNoTemporaryFile() throws Exception {
        Path key = dir.resolve("sub/key");
        AtomicFiles.write(key, "old".getBytes(), true);
        AtomicFiles.write(key, "new".getBytes(), true);
        Path open = dir.resolve("sub/open.json");
        AtomicFiles.write(open, "{}".getBytes(), false);

        assertThat(Files.readString(key)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(open))).isEqualTo("rw-r--r--");
        assertThat(tempFiles()).isZero();
    }

    @Test
    void aWriterThatFailsLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        Path file = dir.resolve("sub/record.json");
        AtomicFiles.write(file, "old".getBytes(), false);

        assertThatThrownBy(() -> AtomicFiles.write(file, AtomicFiles.READABLE, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        })).hasMessage("disk full");

        assertThat(Files.readString(file)).isEqualTo("old");
        assertThat(tempFiles()).isZero();
    }

    @Test
    void aTemporaryFileFilledByTheCallerReplacesTheTargetOnMove() throws Exception {
        Path target = dir.resolve("sub/data.enc");
        Path temp = AtomicFiles.createTemp(target.getParent(), "data.enc", null);
        Files.writeString(temp, "ciphertext");

        AtomicFiles.move(temp, target);

        assertThat(Files.readString(target)).isEqualTo("ciphertext");
        assertThat(temp).doesNotExist();
    }
}
