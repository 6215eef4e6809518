package dev.teeflow.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir
    Path dir;

    @Test
    void secretsAndTheProjectKeyAreOwnerOnly() throws Exception {
        StateStore store = new StateStore(dir);
        store.writeSecret("dataset.emails.encrypt", "key", "k".getBytes());
        byte[] key = store.projectKey();

        assertThat(key).hasSize(32);
        assertThat(store.projectKey()).isEqualTo(key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                store.secretsDir("dataset.emails.encrypt").resolve("key")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                store.secretsDir("dataset.emails.encrypt")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("project.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aRecordIsWrittenWholeAndReadBack() {
        StateStore store = new StateStore(dir);
        StepRecord r = new StepRecord(StepRecord.SCHEMA, 1, "a.b", "t", 1, "k", Map.of("in:x", "d"), Map.of("v", "1"),
                Map.of(), "now");
        store.write(r);
        assertThat(store.read("a.b").record()).isEqualTo(r);
        assertThat(store.addresses()).containsExactly("a.b");
        try (var files = Files.list(dir.resolve("state"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.b.json");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
