package dev.teeflow.cli.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Outputs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputsFileTest {
    @Test
    void namesReplaceDotsAndOddCharacters() {
        assertThat(OutputsFile.name("app.checker.deploy", "address")).isEqualTo("app__checker__deploy__address");
        assertThat(OutputsFile.name("run.check.fetch", "result path")).isEqualTo("run__check__fetch__result_path");
    }

    @Test
    void friendlyAliasesPointAtTheFirstMatchingStep() {
        Map<String, Outputs> byAddress = new LinkedHashMap<>();
        byAddress.put("app.checker.build", Outputs.builder().put("image", "sha256:abc").build());
        byAddress.put("app.checker.deploy", Outputs.builder().put("address", "0xAPP").build());
        byAddress.put("dataset.emails.deploy", Outputs.builder().put("address", "0xDATA")
                .secret("key", SecretRef.step("dataset.emails.encrypt", "key")).build());
        byAddress.put("run.check.deal", Outputs.builder().put("taskId", "0xTASK").put("dealId", "0xDEAL").build());
        byAddress.put("run.check.fetch", Outputs.builder().file("path", Path.of("/w/out/result.zip")).put("files", List.of("a", "b")).build());
        Map<String, String> e = OutputsFile.entries(byAddress);
        assertThat(e).containsEntry("app-address", "0xAPP").containsEntry("dataset-address", "0xDATA")
                .containsEntry("task-id", "0xTASK").containsEntry("result-path", "/w/out/result.zip")
                .containsEntry("app__checker__build__image", "sha256:abc")
                .containsEntry("run__check__fetch__files", "[\"a\",\"b\"]")
                .doesNotContainKey("dataset__emails__deploy__key");
    }

    @Test
    void aliasesAbsentWhenNoSuchStep() {
        Map<String, String> e = OutputsFile.entries(Map.of("build", Outputs.builder().put("address", "x").build()));
        assertThat(e).containsOnlyKeys("build__address");
    }

    @Test
    void multiLineValuesUseHeredocWithFreshDelimiter() {
        String s = OutputsFile.format("notes", "a\nb");
        assertThat(s).matches("notes<<(teeflow_[0-9a-f]{32})\na\nb\n\\1\n");
        assertThat(OutputsFile.format("one", "x=y")).isEqualTo("one=x=y\n");
    }
}
