package dev.teeflow.state.remote.git;

import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateBackendContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The git backend keeps the state backend contract against a real git server over HTTP on loopback. */
class GitBackendContractTest extends StateBackendContract {
    @TempDir
    static Path dir;
    static GitStateTestServer server;
    private static final AtomicInteger REPOS = new AtomicInteger();
    private String repo;

    @BeforeAll
    static void start() {
        server = new GitStateTestServer(dir.resolve("server"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Override
    protected StateBackend newBackend() {
        repo = "contract" + REPOS.incrementAndGet();
        return sameStoreAgain();
    }

    @Override
    protected StateBackend sameStoreAgain() {
        // Each client has its own cache, as two machines would.
        return new GitStateBackend(server.settings(repo, "pipelines/demo"), dir.resolve("cache-" + repo + "-" + System.nanoTime()));
    }
}
