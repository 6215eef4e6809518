package dev.teeflow.cli;

import dev.teeflow.devnet.git.GitHostServer;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateBackendConfig;
import dev.teeflow.engine.state.StateBackends;
import dev.teeflow.engine.state.StateSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The shared state contract on a git state: the devnet's git host on loopback, pushes behind a token. */
class GitStateCliTest extends SharedStateCliContract {
    private static final String TOKEN = "cli-git-token-4c2";

    @TempDir
    Path hostDir;
    private GitHostServer host;

    @BeforeEach
    void startHost() {
        host = GitHostServer.start(hostDir, 0, "ci", TOKEN);
    }

    @AfterEach
    void stopHost() {
        host.close();
    }

    private String remote() {
        return host.repositoryUrl("team", "app").toString();
    }

    @Override
    String stateBlock() {
        return "state:\n  backend: git\n  remote: " + remote() + "\n  username: ci\n  token: env:GIT_TOKEN\n"
                + "  key: env:STATE_KEY\n  lease: 5s\n";
    }

    @Override
    Map<String, String> backendEnv() {
        return Map.of("GIT_TOKEN", TOKEN);
    }

    @Override
    String migrateTarget(String token) {
        return "backend=git,remote=" + remote() + ",username=ci,token=" + token + ",key=env:STATE_KEY";
    }

    @Override
    String credentialReference() {
        return "env:GIT_TOKEN";
    }

    @Override
    String credentialField() {
        return "token";
    }

    @Override
    String credentialValue() {
        return TOKEN;
    }

    @Override
    StateBackend otherClient() {
        Path cache = hostDir.resolve("other-cache");
        StateSettings s = new StateSettings("git", Map.of("remote", remote(), "username", "ci", "token", "env:GIT_TOKEN"),
                null, "env:STATE_KEY");
        return StateBackends.load().open(new StateBackendConfig(s, ref -> Secret.ofText(ref, TOKEN), cache, cache, "shared",
                Map.of()), s);
    }

    /** The waiting apply fetches the state first: a longer lease, so it still meets the dead run's lock on a slow machine. */
    @Override
    Duration deadLease() {
        return Duration.ofSeconds(15);
    }
}
