package dev.teeflow.cli.reference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.spi.Registry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed docs/reference/ is what the schemas generate: it cannot drift from the code. */
class ReferenceDocsTest {
    static final Path REFERENCE = Path.of("..", "docs", "reference");
    static final String REGENERATE = "docs/reference differs from what the step schemas generate; regenerate it with"
            + " 'bin/teeflow schema --markdown docs/reference' and commit the result";

    @Test
    void theCommittedReferenceIsWhatTheSchemasGenerate() throws IOException {
        Map<String, String> generated = ReferenceDocs.pages(Registry.load());
        Map<String, String> committed = new TreeMap<>();
        if (Files.isDirectory(REFERENCE)) {
            try (Stream<Path> files = Files.walk(REFERENCE)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    committed.put(REFERENCE.relativize(f).toString().replace('\\', '/'), Files.readString(f));
                }
            }
        }
        assertThat(committed.keySet()).as(REGENERATE).containsExactlyElementsOf(generated.keySet());
        generated.forEach((page, text) -> assertThat(committed.get(page)).as(REGENERATE + " (" + page + ")").isEqualTo(text));
    }

    @Test
    void everyStepTypePageShowsItsFieldsAndOutputs() {
        String fetch = ReferenceDocs.pages(Registry.load()).get("steps/run.fetch.md");
        assertThat(fetch).contains("| `to` | path | required |").contains("| `chain.name` | text | required |")
                .contains("| `verified` |").contains("; never in the cache key |");
    }
}
