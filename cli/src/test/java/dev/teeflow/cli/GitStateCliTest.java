package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.devnet.git.GitHostServer;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.state.LockInfo;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateBackendConfig;
import dev.teeflow.engine.state.StateBackends;
import dev.teeflow.engine.state.StateSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two checkouts of one pipeline sharing nothing but a git state (the devnet's git host on loopback, pushes
 * behind a token): what one applied the other finds done; a wrong key changes nothing; the lock names its
 * holder, a dead holder's lease ends, force-unlock takes the lock id; a local state migrates in.
 */
class GitStateCliTest {
    private static final String TOKEN = "cli-git-token-4c2";
    private final String key = randomKey();

    @TempDir
    Path a;
    @TempDir
    Path b;
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

    private static String randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    private Map<String, String> env(String stateKey) {
        Map<String, String> env = new HashMap<>();
        env.put("STATE_KEY", stateKey);
        env.put("GIT_TOKEN", TOKEN);
        return env;
    }

    private String remote() {
        return host.repositoryUrl("team", "app").toString();
    }

    private void checkout(Path dir, boolean remote) throws IOException {
        Files.writeString(dir.resolve("teeflow.yml"), """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: shared
                steps:
                  one:
                    type: command
                    with: { run: 'echo ran >> runs.txt' }
                """ + (remote ? "state:\n  backend: git\n  remote: " + remote() + "\n  username: ci\n  token: env:GIT_TOKEN\n"
                + "  key: env:STATE_KEY\n  lease: 5s\n" : ""));
    }

    private int runs(Path dir) throws IOException {
        Path f = dir.resolve("runs.txt");
        return Files.exists(f) ? Files.readAllLines(f).size() : 0;
    }

    /** Another machine's client of the same git state. */
    private StateBackend otherClient(Path cache) {
        StateSettings s = new StateSettings("git", Map.of("remote", remote(), "username", "ci", "token", "env:GIT_TOKEN"),
                null, "env:STATE_KEY");
        return StateBackends.load().open(new StateBackendConfig(s, ref -> Secret.ofText(ref, TOKEN), cache, cache, "shared",
                Map.of()), s);
    }

    @Test
    void whatOneCheckoutAppliedTheOtherFindsDoneAndAWrongKeyChangesNothing() throws Exception {
        checkout(a, true);
        checkout(b, true);
        CliRun applyA = CliRun.in(a, env(key), "apply");
        assertThat(applyA.exitCode()).as(applyA.err()).isZero();
        assertThat(runs(a)).isEqualTo(1);
        assertThat(a.resolve(".teeflow/state")).doesNotExist();

        CliRun planB = CliRun.in(b, env(key), "plan", "--detailed-exitcode");
        assertThat(planB.exitCode()).as("nothing to do on B: " + planB.out() + planB.err()).isZero();
        CliRun applyB = CliRun.in(b, env(key), "apply");
        assertThat(applyB.exitCode()).as(applyB.err()).isZero();
        assertThat(runs(b)).as("B ran nothing").isZero();

        CliRun history = CliRun.in(b, env(key), "state", "history", "one");
        assertThat(history.exitCode()).as(history.err()).isZero();

        String before = CliRun.in(b, env(key), "state", "pull").out();
        CliRun wrong = CliRun.in(b, env(randomKey()), "apply");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("wrong state passphrase").contains("nothing was read or written");
        assertThat(runs(b)).isZero();
        assertThat(CliRun.in(b, env(key), "state", "pull").out()).isEqualTo(before);
        assertThat(before).contains("\"one\"").doesNotContain(key).doesNotContain(TOKEN);
    }

    @Test
    void theLockNamesItsHolderADeadHoldersLeaseEndsAndForceUnlockTakesTheId() throws Exception {
        checkout(b, true);
        try (StateBackend other = otherClient(hostDir.resolve("other-cache"))) {
            LockInfo dead = LockInfo.ofThisProcess("apply", Map.of("BUILD_URL", "https://jenkins.example/job/9/"));
            // Never renewed: a dead run. Its lease outlasts the first, short wait even on a slow machine.
            assertThat(other.tryLock(dead, Duration.ofSeconds(15)).taken()).isTrue();

            CliRun waiting = CliRun.in(b, env(key), "apply", "--lock-timeout", "1s");
            assertThat(waiting.exitCode()).as(waiting.out() + waiting.err()).isEqualTo(1);
            assertThat(waiting.err()).contains("locked by 'apply'").contains("https://jenkins.example/job/9/")
                    .contains("force-unlock " + dead.id());

            CliRun takesOver = CliRun.in(b, env(key), "apply", "--lock-timeout", "60s");
            assertThat(takesOver.exitCode()).as(takesOver.err()).isZero();
            assertThat(runs(b)).as(takesOver.out() + takesOver.err()).isEqualTo(1);
            assertThat(other.lockHolder()).as("released at the end").isEmpty();

            LockInfo stuck = LockInfo.ofThisProcess("apply", Map.of());
            assertThat(other.tryLock(stuck, Duration.ofMinutes(10)).taken()).isTrue();
            CliRun forced = CliRun.in(b, env(key), "force-unlock", stuck.id());
            assertThat(forced.exitCode()).as(forced.err()).isZero();
            assertThat(other.lockHolder()).isEmpty();
        }
    }

    @Test
    void aLocalStateMigratesInAndTheOtherCheckoutFindsItDone() throws Exception {
        checkout(a, false);
        CliRun local = CliRun.in(a, Map.of(), "apply");
        assertThat(local.exitCode()).as(local.err()).isZero();
        CliRun migrate = CliRun.in(a, env(key), "state", "migrate", "--to", "backend=git,remote=" + remote()
                + ",username=ci,token=env:GIT_TOKEN,key=env:STATE_KEY");
        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains("copied and verified 1 record(s)");

        checkout(b, true);
        CliRun planB = CliRun.in(b, env(key), "plan", "--detailed-exitcode");
        assertThat(planB.exitCode()).as(planB.out() + planB.err()).isZero();
    }
}
