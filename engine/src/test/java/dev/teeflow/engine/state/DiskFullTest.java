package dev.teeflow.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.teeflow.engine.TeeflowException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk fills up while state is written: a real 64 KiB tmpfs (needs root to mount; skipped otherwise).
 * The old record must stay intact, no temporary file may be left, and the message must say what happened.
 */
class DiskFullTest {
    @TempDir
    Path base;
    Path disk;
    boolean mounted;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        disk = base.resolve("disk");
        Files.createDirectories(disk);
        mounted = run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", disk.toString()) == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here (not root?): the disk-full test needs one");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("umount", disk.toString());
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static StepRecord record(String value) {
        return new StepRecord(StepRecord.SCHEMA, 1, "app.x.build", "t", 1, "k", Map.of("in:x", "d"),
                Map.of("value", value), Map.of(), "now");
    }

    private void fillTheDisk() throws IOException {
        try (OutputStream out = Files.newOutputStream(disk.resolve("filler"))) {
            byte[] chunk = new byte[1024];
            while (true) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left on device");
        }
    }

    private List<String> leftovers() throws IOException {
        try (Stream<Path> walk = Files.walk(disk)) {
            return walk.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".tmp")).toList();
        }
    }

    @Test
    void aFullDiskKeepsTheOldRecordLeavesNoTempFileAndSaysWhy() throws IOException {
        StateStore store = new StateStore(disk.resolve(".teeflow"));
        store.write(record("old"));
        fillTheDisk();

        assertThatThrownBy(() -> store.write(record("new".repeat(4000)))).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("cannot write the state of app.x.build")
                .hasMessageContaining("No space left on device")
                .hasMessageContaining("the previous record is unchanged");
        assertThat(store.read("app.x.build").record()).isEqualTo(record("old"));
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aFullDiskWhileKeepingASecretOrIntentLeavesNothingHalfWritten() throws IOException {
        StateStore store = new StateStore(disk.resolve(".teeflow"), new StateEncryption("pw".toCharArray(), 1000));
        store.writeSecret("dataset.d.encrypt", "key", "old-key".getBytes());
        fillTheDisk();

        assertThatThrownBy(() -> store.writeSecret("dataset.d.encrypt", "key", new byte[8192]))
                .isInstanceOf(TeeflowException.class).hasMessageContaining("No space left on device");
        assertThatThrownBy(() -> store.writeIntent(new Intent("dataset.d.encrypt", "k", "now",
                Map.of("blob", "x".repeat(8192))))).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("No space left on device");
        assertThat(store.readSecret("dataset.d.encrypt", "key")).hasValueSatisfying(v -> assertThat(v).isEqualTo("old-key".getBytes()));
        assertThat(store.readIntent("dataset.d.encrypt")).isEmpty();
        assertThat(leftovers()).isEmpty();
    }
}
