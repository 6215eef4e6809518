package dev.teeflow.cli.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.dsl.PipelineLoader;
import dev.teeflow.engine.spi.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code teeflow schema}'s JSON Schema accepts the shipped pipelines and rejects what teeflow rejects at the level
 * it describes (unknown top-level keys, unknown step types, a with: field of the wrong kind or unknown).
 */
class PipelineJsonSchemaTest {
    private static final Map<String, Object> SCHEMA = PipelineJsonSchema.schema(Registry.load());

    @TempDir
    Path dir;

    @Test
    void theEmailCheckerAndHelloPipelinesValidate() {
        for (String file : List.of("email-checker/teeflow.yml", "email-checker/teeflow-ipfs.yml", "hello/teeflow.yml")) {
            Object tree = new PipelineLoader().parse(Path.of("..", "examples", file)).toPlain();
            assertThat(JsonSchemaSubset.errors(SCHEMA, tree)).as(file).isEmpty();
        }
    }

    @Test
    void mistakesTheSchemaDescribesAreFound() throws Exception {
        assertThat(errors("dataste: {}\n")).anyMatch(e -> e.contains("dataste"));
        assertThat(errors("steps:\n  a: {type: comand}\n")).anyMatch(e -> e.contains("steps.a.type"));
        assertThat(errors("steps:\n  a: {type: file, with: {path: a, content: b, contnet: c}}\n"))
                .anyMatch(e -> e.contains("contnet"));
        assertThat(errors("steps:\n  a: {type: dataset.encrypt, with: {file: a, iexec-layout: maybe}}\n"))
                .anyMatch(e -> e.contains("iexec-layout"));
        assertThat(errors("steps:\n  a: {type: dataset.encrypt, with: {file: '${{ b.file }}', iexec-layout: true}}\n")).isEmpty();
    }

    @Test
    void thePrintedSchemaIsJsonOfDraft2020() throws Exception {
        Map<?, ?> printed = new ObjectMapper().readValue(PipelineJsonSchema.json(Registry.load()), Map.class);
        assertThat(printed.get("$schema")).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(((Map<?, ?>) printed.get("properties")).keySet()).map(String::valueOf).contains("apiVersion", "app", "dataset", "run", "steps");
    }

    private List<String> errors(String body) throws Exception {
        Path file = Files.writeString(dir.resolve("teeflow.yml"), "apiVersion: teeflow/v1\nkind: Pipeline\nname: t\n" + body);
        return JsonSchemaSubset.errors(SCHEMA, new PipelineLoader().parse(file).toPlain());
    }
}
