package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** budget.gas-eth is a number as written; anything else stops apply instead of being ignored. */
class GasBudgetFileTest {
    @TempDir
    Path dir;

    @Test
    void aGasBudgetThatIsNotAPlainNumberStopsApplyBeforeAnyStepRuns() throws Exception {
        Files.writeString(dir.resolve("teeflow.yml"), """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: g
                params: { gas: "0.01" }
                budget: { gas-eth: "${{ params.gas }}" }
                steps:
                  one:
                    type: command
                    with: { run: "echo ran > ran.txt" }
                """);
        CliRun apply = CliRun.in(dir, Map.of(), "apply", "--no-color");
        assertThat(apply.exitCode()).as(apply.out() + apply.err()).isNotZero();
        assertThat(apply.err()).contains("budget.gas-eth").contains("must be a number of ETH");
        assertThat(dir.resolve("ran.txt")).doesNotExist();
    }
}
