package dev.teeflow.state.remote.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.state.remote.LockMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each command opens a new backend and reads the whole state: with this machine's copies it fetches only the
 * objects whose ETag changed since, and a copy never stands in for a newer value.
 */
class S3BlobCacheTest {
    @TempDir
    Path cache;

    private LoopbackS3 s3;

    @BeforeEach
    void start() throws Exception {
        s3 = new LoopbackS3("cached");
    }

    @AfterEach
    void stop() {
        s3.close();
    }

    /** A backend as one command opens it, keeping copies in this test's cache folder (or none). */
    private S3StateBackend command(boolean withCopies) {
        return new S3StateBackend(S3TestSettings.of(s3.endpoint(), "cached", "p/", LockMode.STORE), n -> { },
                withCopies ? cache : null);
    }

    private static String text(StateBackend b, String key) {
        return new String(b.get(key).orElseThrow().bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aCommandAfterAnotherOnThisMachineFetchesOnlyWhatChanged() throws Exception {
        S3StateBackend writer = command(false);
        for (int i = 0; i < 5; i++) {
            writer.put("state/s" + i + ".json", ("v1 of " + i).getBytes(StandardCharsets.UTF_8), StateBackend.ABSENT);
        }
        int gets = s3.objectGets.get();
        assertThat(text(command(true), "state/s0.json")).isEqualTo("v1 of 0");
        assertThat(s3.objectGets.get() - gets).as("first command here: every object").isEqualTo(5);

        gets = s3.objectGets.get();
        S3StateBackend again = command(true);
        assertThat(text(again, "state/s4.json")).isEqualTo("v1 of 4");
        assertThat(s3.objectGets.get() - gets).as("nothing changed: no GET").isZero();

        String version = command(false).get("state/s2.json").orElseThrow().version();
        command(false).put("state/s2.json", "v2 of 2".getBytes(StandardCharsets.UTF_8), version); // another machine
        command(false).delete("state/s3.json");
        gets = s3.objectGets.get();
        S3StateBackend after = command(true);
        assertThat(text(after, "state/s2.json")).as("the newer value, not the copy").isEqualTo("v2 of 2");
        assertThat(after.get("state/s3.json")).isEmpty();
        assertThat(s3.objectGets.get() - gets).as("only the changed object").isEqualTo(1);

        // a version read from a copy is the store's: compare-and-swap on it goes through
        after.put("state/s1.json", "v2 of 1".getBytes(StandardCharsets.UTF_8), after.get("state/s1.json").orElseThrow().version());
        assertThat(text(command(false), "state/s1.json")).isEqualTo("v2 of 1");
        gets = s3.objectGets.get();
        assertThat(text(command(true), "state/s1.json")).isEqualTo("v2 of 1");
        assertThat(s3.objectGets.get() - gets).as("our own write was kept as a copy too").isZero();
        try (Stream<Path> copies = Files.list(cache)) {
            assertThat(copies.filter(f -> f.toString().endsWith(".blob")).count())
                    .as("one copy per object the store holds: the replaced and the removed ones are gone").isEqualTo(4);
        }
    }

    @Test
    void aDamagedOrMissingCopyCostsOneFetchAndNothingElse() throws Exception {
        command(false).put("state/a.json", "the value".getBytes(StandardCharsets.UTF_8), StateBackend.ABSENT);
        assertThat(text(command(true), "state/a.json")).isEqualTo("the value");
        try (Stream<Path> copies = Files.list(cache)) {
            copies.forEach(f -> f.toFile().delete());
        }
        int gets = s3.objectGets.get();
        assertThat(text(command(true), "state/a.json")).isEqualTo("the value");
        assertThat(s3.objectGets.get() - gets).isEqualTo(1);
    }
}
