package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hand-written run.fetch step used to read the default devnet's storage whatever target: said. */
class BareFetchTargetTest {
    @TempDir
    Path dir;

    private CliRun validate(String with) throws IOException {
        Files.writeString(dir.resolve("teeflow.yml"), """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: t
                target: devnet:ci
                steps:
                  get:
                    type: run.fetch
                    with: { location: /ipfs/QmX, to: out%s }
                """.formatted(with));
        return CliRun.in(dir, Map.of(), "validate");
    }

    @Test
    void aBareFetchWithoutItsChainIsRefusedNamingTheStep() throws IOException {
        CliRun refused = validate("");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.out() + refused.err()).contains("teeflow.yml:8").contains("steps.get.with.chain")
                .contains("chain: { name:");

        assertThat(validate(", chain: { name: 'devnet:ci' }").exitCode()).isZero();
    }
}
