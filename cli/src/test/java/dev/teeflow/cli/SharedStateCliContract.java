package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.state.LockInfo;
import dev.teeflow.engine.state.StateBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every shared state backend promises through the CLI, run against one backend by each subclass: two
 * checkouts of one pipeline sharing nothing but the state, what one applied the other finds done; a wrong
 * key changes nothing; the lock names its holder, a dead holder's lease ends, force-unlock takes the lock
 * id; a local state migrates in and is verified; a literal credential in the migration target is refused.
 */
abstract class SharedStateCliContract {
    protected final String key = randomKey();

    @TempDir
    Path a;
    @TempDir
    Path b;

    /** The pipeline file's state block: this backend, {@code key: env:STATE_KEY}, a 5 s lease. */
    abstract String stateBlock();

    /** What the backend needs in the environment beside STATE_KEY (credentials, config overrides). */
    abstract Map<String, String> backendEnv();

    /** The environment of {@code state migrate}, run in a checkout without a state block. */
    Map<String, String> migrateEnv() {
        return env(key);
    }

    /** The {@code state migrate --to} settings for this backend, its credential given as {@code credential}. */
    abstract String migrateTarget(String credential);

    /** The credential as the pipeline file gives it ({@code env:...}, {@code file:...}). */
    abstract String credentialReference();

    /** The state block field that holds the backend's credential. */
    abstract String credentialField();

    /** The backend's credential itself: it must never reach the state. */
    abstract String credentialValue() throws IOException;

    /** Another machine's client of the same state. */
    abstract StateBackend otherClient();

    /** How long a dead run's lease lasts: longer than the first, short wait even on a slow machine. */
    Duration deadLease() {
        return Duration.ofSeconds(5);
    }

    /** Long enough for the dead run's lease to end. */
    private String takeOverTimeout() {
        return deadLease().multipliedBy(4).plusSeconds(10).toSeconds() + "s";
    }

    static String randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    Map<String, String> env(String stateKey) {
        Map<String, String> env = new HashMap<>(backendEnv());
        env.put("STATE_KEY", stateKey);
        return env;
    }

    void checkout(Path dir, boolean remote) throws IOException {
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

    static int runs(Path dir) throws IOException {
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
        assertThat(history.exitCode()).as(history.err()).isZero();
        assertThat(history.out().lines().filter(l -> l.startsWith("version ")))
                .as("one version, the apply of A: " + history.out()).hasSize(1);

        String before = CliRun.in(b, env(key), "state", "pull").out();
        CliRun wrong = CliRun.in(b, env(randomKey()), "apply");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("wrong state passphrase").contains("nothing was read or written");
        assertThat(runs(b)).isZero();
        assertThat(CliRun.in(b, env(key), "state", "pull").out()).isEqualTo(before);
        assertThat(before).contains("\"one\"").doesNotContain(key).doesNotContain(credentialValue());

        Map<String, String> noKey = env(key);
        noKey.remove("STATE_KEY");
        CliRun plainB = CliRun.in(b, noKey, "apply", "--state-config", "key=");
        assertThat(plainB.exitCode()).isNotZero();
    }

    @Test
    void theLockNamesItsHolderADeadHoldersLeaseEndsAndForceUnlockTakesTheId() throws Exception {
        checkout(b, true);
        try (StateBackend other = otherClient()) {
            LockInfo dead = LockInfo.ofThisProcess("apply", Map.of("BUILD_URL", "https://jenkins.example/job/9/"));
            assertThat(other.tryLock(dead, deadLease()).taken()).isTrue(); // and never renewed: a dead run

            CliRun waiting = CliRun.in(b, env(key), "apply", "--lock-timeout", "1s");
            assertThat(waiting.exitCode()).as(waiting.out() + waiting.err()).isEqualTo(1);
            assertThat(waiting.err()).contains("locked by 'apply'").contains("https://jenkins.example/job/9/")
                    .contains("force-unlock " + dead.id());

            CliRun takesOver = CliRun.in(b, env(key), "apply", "--lock-timeout", takeOverTimeout());
            assertThat(takesOver.exitCode()).as(takesOver.err()).isZero();
            assertThat(runs(b)).as(takesOver.out() + takesOver.err()).isEqualTo(1);
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
        CliRun migrate = CliRun.in(a, migrateEnv(), "state", "migrate", "--to", migrateTarget(credentialReference()));
        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains("copied and verified 1 record(s)").contains("the project key");

        checkout(b, true);
        CliRun planB = CliRun.in(b, env(key), "plan", "--detailed-exitcode");
        assertThat(planB.exitCode()).as(planB.out() + planB.err()).isZero();

        CliRun twice = CliRun.in(a, migrateEnv(), "state", "migrate", "--to", migrateTarget(credentialReference()));
        assertThat(twice.exitCode()).isEqualTo(1);
        assertThat(twice.err()).contains("is not empty");

        CliRun literal = CliRun.in(a, migrateEnv(), "state", "migrate", "--to", migrateTarget("hunter2"));
        assertThat(literal.exitCode()).isNotZero();
        assertThat(literal.err()).contains("state." + credentialField()).contains("secret reference").doesNotContain("hunter2");
    }
}
