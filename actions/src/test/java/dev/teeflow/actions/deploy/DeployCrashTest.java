package dev.teeflow.actions.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.devnet.chain.DevAccounts;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.run.StepOutcome;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.state.StateLock;
import dev.teeflow.engine.state.StateStore;
import dev.teeflow.engine.testing.FakeStepContext;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.protocol.chain.WorkerpoolSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy interrupted after its transaction was sent but before its receipt (anvil's automine off, so the
 * transaction stays pending) is resumed by the next apply: it waits for that same transaction and sends no
 * second one; the wallet's mined transaction count on chain proves it.
 */
class DeployCrashTest extends OneChainLabPerClass {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path project;

    @AfterEach
    void automineBackOn() throws Exception {
        lab.rpc("evm_setAutomine", "true");
    }

    private String pool(String description) {
        return lab.header("crash") + """
                workerpool:
                  pool: { description: "%s" }
                """.formatted(description);
    }

    private static long mined(int account) {
        return lab.chain.sender(account).minedTransactionCount();
    }

    private JsonNode intent() throws Exception {
        Path file = new StateStore(project.resolve(".teeflow")).intentFile("workerpool.pool.deploy");
        return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
    }

    private void mineSoon() {
        Thread miner = new Thread(() -> {
            try {
                Thread.sleep(400);
                lab.rpc("evm_mine", "");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        miner.setDaemon(true);
        miner.start();
    }

    @Test
    void aKilledApplyIsResumedByTheNextOneWithoutASecondTransaction() throws Exception {
        int account = 7;
        Files.writeString(project.resolve("teeflow.yml"), pool("killed pool"));
        long before = mined(account);
        lab.rpc("evm_setAutomine", "false");

        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", classpath, ApplyInChildProcess.class.getName(), project.toString())
                .redirectErrorStream(true).redirectOutput(project.resolve("child.log").toFile());
        pb.environment().put("PRIVATE_KEY", DevAccounts.publicTestKey(account));
        Process child = pb.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (intent() == null && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(intent()).as("the child recorded its tx hash; log: %s", Files.readString(project.resolve("child.log"))).isNotNull();
            Thread.sleep(300); // the tx is broadcast right after the hash is recorded
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9: no receipt, no record
        }
        String sent = intent().path("values").path("tx").asText();
        assertThat(mined(account)).as("pending, not mined").isEqualTo(before);
        StateLock.forceUnlock(new StateStore(project.resolve(".teeflow")).lockFile()); // what 'teeflow force-unlock' does

        mineSoon();
        Map<String, StepSpec> steps = ChainLab.expand(project, pool("killed pool"), s -> s);
        Report resumed = ChainLab.engine(project, steps, env(account), ChainLab.lines()).apply(List.of(), List.of());

        assertThat(resumed.succeeded()).as(resumed.toString()).isTrue();
        Outputs out = ChainLab.engine(project, steps, env(account), ChainLab.lines()).recordedOutputs("workerpool.pool.deploy");
        assertThat(out.string("tx")).contains(sent);
        assertThat(mined(account)).as("exactly one transaction on chain").isEqualTo(before + 1);
        assertThat(intent()).as("the intent is cleared once recorded").isNull();
    }

    @Test
    void aStepThatGaveUpWaitingForItsReceiptWaitsForTheSameTransactionNextTime() throws Exception {
        int account = 8;
        long before = mined(account);
        Map<String, StepSpec> steps = ChainLab.expand(project, pool("slow pool"), s -> s);
        lab.rpc("evm_setAutomine", "false");

        Report gaveUp = ChainLab.engine(project, steps, env(account), ChainLab.lines()).apply(List.of(), List.of());
        assertThat(gaveUp.succeeded()).isFalse();
        assertThat(gaveUp.outcomes().get(0).message()).contains("was not mined within").contains("run again");
        String sent = intent().path("values").path("tx").asText();
        assertThat(sent).startsWith("0x");
        assertThat(mined(account)).isEqualTo(before);

        mineSoon();
        List<String> logs = ChainLab.lines();
        Report resumed = ChainLab.engine(project, steps, env(account), logs).apply(List.of(), List.of());
        assertThat(resumed.succeeded()).as(resumed.toString()).isTrue();
        assertThat(resumed.outcomes().get(0).status()).isEqualTo(StepOutcome.Status.DONE);
        assertThat(logs).anyMatch(l -> l.contains("an earlier run sent " + sent));
        assertThat(ChainLab.engine(project, steps, env(account), logs).recordedOutputs("workerpool.pool.deploy").string("tx"))
                .contains(sent);
        assertThat(mined(account)).isEqualTo(before + 1);
    }

    @Test
    void aRecordedHashTheNodeNeverSawIsSentOnce() throws Exception {
        int account = 9;
        long before = mined(account);
        String predicted = lab.chain.hub().workerpoolRegistry()
                .predictWorkerpool(new WorkerpoolSpec(DevAccounts.address(account), "never broadcast"));
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("description", "never broadcast");
        inputs.put("chain", Map.of("name", "lab", "entry", Map.of("id", lab.chain.chainId(), "rpc", lab.chain.rpcUrl(),
                "hub", lab.chain.manifest().hub(), "sms", lab.sms.url().toString())));
        inputs.put("wallet", Map.of("kind", "private-key", "private-key",
                Secret.ofText(SecretRef.env("PRIVATE_KEY"), DevAccounts.publicTestKey(account))));
        String neverSent = "0x" + "5e".repeat(32);
        try (FakeStepContext ctx = new FakeStepContext("workerpool.pool.deploy", project, inputs)
                .withIntent(Map.of("tx", neverSent, "address", predicted, "chain-id", lab.chain.chainId()))) {
            Outputs out = new WorkerpoolDeployStep(ChainLab.FAST).run(ctx);
            assertThat(out.string("address")).contains(predicted);
            assertThat(out.string("tx")).isPresent().get().isNotEqualTo(neverSent);
            assertThat(ctx.lines()).anyMatch(l -> l.contains("an earlier run sent " + neverSent));
        }
        assertThat(mined(account)).isEqualTo(before + 1);
    }

    private static Map<String, String> env(int account) {
        return Map.of("PRIVATE_KEY", DevAccounts.publicTestKey(account));
    }

    static Stream<Path> none() {
        return Stream.empty();
    }
}
