package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.state.LockInfo;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.state.postgres.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two checkouts of one pipeline sharing nothing but a postgres state (the project's PostgreSQL on loopback):
 * what one applied the other finds done; a wrong key changes nothing; the lock names its holder, a dead
 * holder's lease ends, force-unlock takes the lock id; a local state migrates in and is verified.
 */
class PostgresStateCliTest {
    private static final PostgresServer SERVER = PostgresServer.start();
    private final String schema = PostgresServer.newSchema();
    private final String key = randomKey();

    @TempDir
    Path a;
    @TempDir
    Path b;

    @AfterEach
    void dropSchema() {
        SERVER.drop(schema);
    }

    private static String randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    private Map<String, String> env(String stateKey) {
        Map<String, String> env = new HashMap<>();
        env.put("STATE_KEY", stateKey);
        env.put("TEEFLOW_STATE_CONFIG_SCHEMA", schema);
        return env;
    }

    private String stateBlock() {
        return "state:\n  backend: postgres\n  url: " + SERVER.url + "\n  user: " + SERVER.user
                + "\n  password: file:" + SERVER.passwordFile + "\n  key: env:STATE_KEY\n  lease: 5s\n";
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
                """ + (remote ? stateBlock() : ""));
    }

    private int runs(Path dir) throws IOException {
        Path f = dir.resolve("runs.txt");
        return Files.exists(f) ? Files.readAllLines(f).size() : 0;
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
        assertThat(history.out()).contains("version 1").doesNotContain("version 2");

        String before = CliRun.in(b, env(key), "state", "pull").out();
        CliRun wrong = CliRun.in(b, env(randomKey()), "apply");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("wrong state passphrase").contains("nothing was read or written");
        assertThat(runs(b)).isZero();
        assertThat(CliRun.in(b, env(key), "state", "pull").out()).isEqualTo(before);
        assertThat(before).contains("\"one\"").doesNotContain(key);

        Map<String, String> noKey = env(key);
        noKey.remove("STATE_KEY");
        CliRun plainB = CliRun.in(b, noKey, "apply", "--state-config", "key=");
        assertThat(plainB.exitCode()).isNotZero();
    }

    @Test
    void theLockNamesItsHolderADeadHoldersLeaseEndsAndForceUnlockTakesTheId() throws Exception {
        checkout(b, true);
        try (StateBackend other = SERVER.open(schema, "shared")) {
            LockInfo dead = LockInfo.ofThisProcess("apply", Map.of("BUILD_URL", "https://jenkins.example/job/9/"));
            assertThat(other.tryLock(dead, Duration.ofSeconds(5)).taken()).isTrue(); // and never renewed: a dead run

            CliRun waiting = CliRun.in(b, env(key), "apply", "--lock-timeout", "1s");
            assertThat(waiting.exitCode()).isEqualTo(1);
            assertThat(waiting.err()).contains("locked by 'apply'").contains("https://jenkins.example/job/9/")
                    .contains("force-unlock " + dead.id());

            CliRun takesOver = CliRun.in(b, env(key), "apply", "--lock-timeout", "30s");
            assertThat(takesOver.exitCode()).as(takesOver.err()).isZero();
            assertThat(runs(b)).isEqualTo(1);
            assertThat(other.lockHolder()).as("released at the end").isEmpty();

            LockInfo stuck = LockInfo.ofThisProcess("apply", Map.of());
            assertThat(other.tryLock(stuck, Duration.ofMinutes(10)).taken()).isTrue();
            CliRun noId = CliRun.in(b, env(key), "force-unlock");
            assertThat(noId.exitCode()).isEqualTo(1);
            assertThat(noId.err()).contains("give the id").contains(stuck.id());
            CliRun forced = CliRun.in(b, env(key), "force-unlock", stuck.id());
            assertThat(forced.exitCode()).as(forced.err()).isZero();
            assertThat(forced.out()).contains("released the lock held by 'apply'");
            assertThat(other.lockHolder()).isEmpty();
        }
    }

    @Test
    void aLocalStateMigratesInIsVerifiedAndTheOtherCheckoutFindsItDone() throws Exception {
        checkout(a, false);
        CliRun local = CliRun.in(a, Map.of(), "apply");
        assertThat(local.exitCode()).as(local.err()).isZero();
        CliRun migrate = CliRun.in(a, Map.of("STATE_KEY", key), "state", "migrate", "--to", "backend=postgres,url=" + SERVER.url
                + ",user=" + SERVER.user + ",password=file:" + SERVER.passwordFile + ",key=env:STATE_KEY,schema=" + schema);
        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains("copied and verified 1 record(s)").contains("the project key");

        checkout(b, true);
        CliRun planB = CliRun.in(b, env(key), "plan", "--detailed-exitcode");
        assertThat(planB.exitCode()).as(planB.out() + planB.err()).isZero();

        CliRun twice = CliRun.in(a, Map.of("STATE_KEY", key), "state", "migrate", "--to", "backend=postgres,url=" + SERVER.url
                + ",user=" + SERVER.user + ",password=file:" + SERVER.passwordFile + ",key=env:STATE_KEY,schema=" + schema);
        assertThat(twice.exitCode()).isEqualTo(1);
        assertThat(twice.err()).contains("is not empty");

        CliRun literal = CliRun.in(a, Map.of("STATE_KEY", key), "state", "migrate", "--to", "backend=postgres,url=" + SERVER.url
                + ",password=hunter2,key=env:STATE_KEY,schema=" + schema);
        assertThat(literal.err()).contains("state.password").contains("secret reference").doesNotContain("hunter2");
    }
}
