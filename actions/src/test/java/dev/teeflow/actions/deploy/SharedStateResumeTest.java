package dev.teeflow.actions.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.devnet.chain.DevAccounts;
import dev.teeflow.engine.CrashPoints;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateEncryption;
import dev.teeflow.engine.state.StateStore;
import dev.teeflow.state.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runners, two checkouts with no shared files, one postgres state, one chain: runner A is killed the
 * way {@code kill -9} would right after its deploy transaction is broadcast (still holding the lock); runner
 * B waits for A's lease to end, takes the lock over, finds A's intent in the shared state and waits for
 * that same transaction: one transaction on chain. Then B plans nothing to do.
 */
class SharedStateResumeTest extends OneChainLabPerClass {
    private static final PostgresServer SERVER = PostgresServer.start();

    @TempDir
    Path runnerA;
    @TempDir
    Path runnerB;

    private final String schema = PostgresServer.newSchema();

    @Test
    void aRunnerKilledAfterItsBroadcastIsResumedByAnotherRunnerWithoutASecondTransaction() throws Exception {
        int account = 7;
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String key = Base64.getEncoder().encodeToString(raw);
        String pipeline = lab.header("shared") + "workerpool:\n  pool: { description: \"shared state pool\" }\n";
        Files.writeString(runnerA.resolve("teeflow.yml"), pipeline);
        Files.writeString(runnerB.resolve("teeflow.yml"), pipeline);
        long before = lab.chain.sender(account).minedTransactionCount();

        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", classpath, ApplyOnSharedState.class.getName(),
                runnerA.toString(), schema, key).redirectErrorStream(true).redirectOutput(runnerA.resolve("child.log").toFile());
        pb.environment().put("PRIVATE_KEY", DevAccounts.publicTestKey(account));
        pb.environment().put(CrashPoints.ENV, "after-broadcast:workerpool.pool.deploy");
        Process a = pb.start();
        assertThat(a.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(a.exitValue()).as("A halted at the crash point; log: %s", Files.readString(runnerA.resolve("child.log")))
                .isEqualTo(CrashPoints.EXIT_STATUS);

        try (StateBackend shared = SERVER.open(schema, "shared")) {
            assertThat(shared.lockHolder()).as("A died holding the lock").isPresent();
            StateStore view = new StateStore(runnerB.resolve(".teeflow"), shared, StateEncryption.ofRawKey(key));
            String sent = String.valueOf(view.readIntent("workerpool.pool.deploy").orElseThrow().values().get("tx"));
            assertThat(sent).startsWith("0x");

            List<String> logs = new ArrayList<>();
            Map<String, String> env = Map.of("PRIVATE_KEY", DevAccounts.publicTestKey(account));
            Report resumed = ApplyOnSharedState.engine(runnerB, schema, key, env, logs, ChainLab.registry(),
                    Duration.ofSeconds(60)).apply(List.of(), List.of());
            assertThat(resumed.succeeded()).as(resumed + "\n" + String.join("\n", logs)).isTrue();
            assertThat(lab.chain.sender(account).minedTransactionCount()).as("exactly one transaction").isEqualTo(before + 1);
            StateStore after = new StateStore(runnerB.resolve(".teeflow"), shared, StateEncryption.ofRawKey(key));
            // A's transaction was mined before it died: B, resuming A's intent, finds its workerpool instead of deploying one.
            assertThat(after.read("workerpool.pool.deploy").record().outputs()).containsKey("address");
            assertThat(after.readIntent("workerpool.pool.deploy")).isEmpty();

            var plan = ApplyOnSharedState.engine(runnerB, schema, key, env, logs, ChainLab.registry(), Duration.ZERO)
                    .plan(List.of(), List.of());
            assertThat(plan.steps()).allSatisfy(s -> assertThat(s.action()).as(s.address() + ": " + s.reason()).isEqualTo(Action.UP_TO_DATE));
        } finally {
            SERVER.drop(schema);
        }
        try (Stream<Path> files = Files.walk(runnerB)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> runnerB.relativize(p).toString()))
                    .as("B holds no state file of its own").noneMatch(f -> f.startsWith(".teeflow/state") || f.startsWith(".teeflow/intents"));
        }
    }
}
