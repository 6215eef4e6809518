package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.state.LockInfo;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateEncryption;
import dev.teeflow.engine.state.StateStore;
import dev.teeflow.state.postgres.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code teeflow state repair ADDR}: the way out that an unreadable record of an external step points to. */
class StateRepairCliTest {
    /** A step that pays: it appends to payments.txt, so a second payment shows. */
    private static final String PAYS = """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: t
                steps:
                  pay:
                    type: command
                    with: { run: 'echo paid >> payments.txt', effect: external }
                """;

    @TempDir
    Path dir;

    @Test
    void anUnreadableRecordOfAnExternalStepStopsUntilRepairSetsItAside() throws IOException {
        Files.writeString(dir.resolve("teeflow.yml"), PAYS);
        assertThat(CliRun.in(dir, Map.of(), "apply").exitCode()).isZero();
        Files.writeString(dir.resolve(".teeflow/state/pay.json"), "{\"garbage");

        CliRun plan = CliRun.in(dir, Map.of(), "plan");
        assertThat(plan.out()).contains("unreadable").contains("teeflow state repair pay");
        CliRun apply = CliRun.in(dir, Map.of(), "apply");
        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(dir.resolve("payments.txt")).hasContent("paid"); // not paid twice

        CliRun report = CliRun.in(dir, Map.of(), "state", "repair", "pay");
        assertThat(report.exitCode()).isZero();
        assertThat(report.out()).contains("record: DAMAGED").contains("--forget-record");

        CliRun forget = CliRun.in(dir, Map.of(), "state", "repair", "pay", "--forget-record");
        assertThat(forget.exitCode()).isZero();
        assertThat(forget.out()).contains("set the record aside").contains("pay.json.damaged-");
        assertThat(CliRun.in(dir, Map.of(), "apply").exitCode()).isZero(); // the person chose: it runs again
        assertThat(dir.resolve("payments.txt")).hasContent("paid\npaid");

        CliRun help = CliRun.in(dir, Map.of(), "state", "repair", "--help");
        assertThat(help.out() + help.err()).as(help.toString()).contains("--forget-secret");
    }

    @Test
    void onARemoteStateRepairWorksThroughTheBackendUnderItsLock() throws Exception {
        PostgresServer server = PostgresServer.start();
        String schema = PostgresServer.newSchema();
        String key = SharedStateCliContract.randomKey();
        Map<String, String> env = Map.of("STATE_KEY", key);
        Files.writeString(dir.resolve("teeflow.yml"), PAYS + """
                state:
                  backend: postgres
                  url: %s
                  user: %s
                  password: file:%s
                  schema: %s
                  key: env:STATE_KEY
                """.formatted(server.url, server.user, server.passwordFile, schema));
        try (StateBackend backend = server.open(schema, "t")) {
            assertThat(CliRun.in(dir, env, "apply").exitCode()).isZero();
            // Encrypted as it should be, but not a record: what a damaged write leaves.
            new StateStore(dir.resolve("other-machine"), backend, StateEncryption.ofRawKey(key))
                    .writeData(StateStore.recordKey("pay"), "{\"garbage".getBytes(StandardCharsets.UTF_8));

            CliRun plan = CliRun.in(dir, env, "plan");
            assertThat(plan.out()).contains("unreadable").contains("teeflow state repair pay");
            assertThat(CliRun.in(dir, env, "apply").exitCode()).isEqualTo(1);
            assertThat(dir.resolve("payments.txt")).hasContent("paid"); // not paid twice

            LockInfo running = LockInfo.ofThisProcess("apply", Map.of());
            assertThat(backend.tryLock(running, Duration.ofMinutes(10)).taken()).isTrue();
            CliRun locked = CliRun.in(dir, env, "state", "repair", "pay", "--forget-record");
            assertThat(locked.exitCode()).isEqualTo(1);
            assertThat(locked.err()).contains("locked by 'apply'");
            backend.releaseLock(running);

            CliRun report = CliRun.in(dir, env, "state", "repair", "pay");
            assertThat(report.exitCode()).as(report.err()).isZero();
            assertThat(report.out()).contains("record: DAMAGED").contains("--forget-record").contains("state history pay");

            CliRun forget = CliRun.in(dir, env, "state", "repair", "pay", "--forget-record");
            assertThat(forget.exitCode()).as(forget.err()).isZero();
            assertThat(forget.out()).contains("set the record aside").contains("state/pay.json.damaged-");
            assertThat(backend.list("state/")).singleElement().asString().startsWith("state/pay.json.damaged-");
            assertThat(backend.lockHolder()).as("released at the end").isEmpty();

            assertThat(CliRun.in(dir, env, "apply").exitCode()).isZero(); // the person chose: it runs again
            assertThat(dir.resolve("payments.txt")).hasContent("paid\npaid");

            // Bytes that do not even open (written outside teeflow) are damage too, and are set aside alike.
            backend.put(StateStore.recordKey("pay"), "{\"garbage".getBytes(StandardCharsets.UTF_8), StateBackend.ANY);
            CliRun unsealed = CliRun.in(dir, env, "state", "repair", "pay");
            assertThat(unsealed.out()).as(unsealed.err()).contains("record: DAMAGED").contains("not encrypted");
            CliRun forgetUnsealed = CliRun.in(dir, env, "state", "repair", "pay", "--forget-record");
            assertThat(forgetUnsealed.exitCode()).as(forgetUnsealed.err()).isZero();
            assertThat(backend.list("state/")).hasSize(2).allMatch(k -> k.startsWith("state/pay.json.damaged-"));
        } finally {
            server.drop(schema);
        }
    }
}
