package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code teeflow state repair ADDR}: the way out that an unreadable record of an external step points to. */
class StateRepairCliTest {
    @TempDir
    Path dir;

    @Test
    void anUnreadableRecordOfAnExternalStepStopsUntilRepairSetsItAside() throws IOException {
        Files.writeString(dir.resolve("teeflow.yml"), """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: t
                steps:
                  pay:
                    type: command
                    with: { run: 'echo paid >> payments.txt', effect: external }
                """);
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
}
