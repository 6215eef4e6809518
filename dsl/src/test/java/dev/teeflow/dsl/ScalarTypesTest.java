package dev.teeflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.config.ConfigNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScalarTypesTest {
    @TempDir
    Path dir;

    @Test
    void hexLiteralsStayTextBecauseTheyAreAddressesAndHashes() {
        Path file = new LoaderFixture(dir).write("t.yml", """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: t
                address: 0x5FbDB2315678afecb367f032d93F642f64180aa3
                tag: 0x0000000000000000000000000000000000000000000000000000000000000003
                small: 0x10
                count: 42
                """);
        ConfigNode tree = new PipelineLoader().parse(file);
        assertThat(tree.get("address").value()).isEqualTo("0x5FbDB2315678afecb367f032d93F642f64180aa3");
        assertThat(tree.get("tag").value()).isEqualTo("0x0000000000000000000000000000000000000000000000000000000000000003");
        assertThat(tree.get("small").value()).isEqualTo("0x10");
        assertThat(tree.get("count").value()).isEqualTo(42L);
    }
}
