package dev.teeflow.examples;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * For example tests that share one devnet between their methods: it runs in a teeflow home of the class's own
 * ({@code home}), started before the first test and stopped after the last. The Docker parts are checked first:
 * without them the class fails, never skips.
 */
abstract class OneDevnetPerClass {
    @TempDir
    static Path home;

    @TempDir
    Path work;

    /** What {@code teeflow devnet up --json} said. */
    static JsonNode devnet;
    static ExampleRuns runs;

    @BeforeAll
    static void startDevnet() throws Exception {
        ExampleRuns.checkDockerParts();
        runs = new ExampleRuns(home);
        devnet = runs.devnetUp();
    }

    @AfterAll
    static void stopDevnet() throws Exception {
        runs.devnetDown();
    }
}
