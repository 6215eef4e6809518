package dev.teeflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.teeflow.engine.config.Diagnostic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Amplification without aliases: a long parameter referenced many times grows the pipeline once
 * ${{ params.* }} is replaced. The growth is bounded with one clear error naming the file, early, in
 * little memory. The timeouts are guards against an expansion that runs out of memory, not speed goals.
 */
class ExpansionLimitTest {
    private static final String HUGE = "a".repeat(400_000);

    @TempDir
    Path dir;

    private List<Diagnostic> errors(String name, String text, Map<String, String> params) {
        LoaderFixture f = new LoaderFixture(dir);
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> f.errors(name, text, params, Map.of()));
    }

    private void assertGrowthRefused(List<Diagnostic> errors, String file) {
        assertThat(errors).singleElement().satisfies(d -> {
            assertThat(d.location().file()).isEqualTo(dir.resolve(file));
            assertThat(d.location().line()).isPositive();
            assertThat(d.message()).contains("more than 8000000 characters once ${{ params.* }} and ${{ env.* }} are replaced");
        });
    }

    @Test
    void aLongParameterReferencedThirtyThousandTimes() {
        String refs = String.join("", Collections.nCopies(30_000, "${{ params.p }}"));
        String yaml = "apiVersion: teeflow/v1\nkind: Pipeline\nname: x\nparams:\n  p: " + HUGE + "\n"
                + "description: \"" + refs + "\"\n";
        assertGrowthRefused(errors("teeflow.yml", yaml, Map.of()), "teeflow.yml");
    }

    @Test
    void sixtyThousandAliasesToAScalarWithTwentyReferences() {
        String yaml = "apiVersion: teeflow/v1\nkind: Pipeline\nname: x\nparams:\n  p: " + "b".repeat(1000) + "\n"
                + "description: &d \"" + "${{ params.p }}".repeat(20) + "\"\n"
                + "steps:\n  a:\n    type: command\n    with:\n      command: [" + String.join(", ", Collections.nCopies(60_000, "*d")) + "]\n";
        assertGrowthRefused(errors("teeflow.yml", yaml, Map.of()), "teeflow.yml");
    }

    @Test
    void aLongValueGivenOnTheCommandLine() {
        String yaml = "apiVersion: teeflow/v1\nkind: Pipeline\nname: x\nparams:\n  p: short\n"
                + "description: \"" + "${{ params.p }}".repeat(30_000) + "\"\n";
        assertGrowthRefused(errors("teeflow.yml", yaml, Map.of("p", HUGE)), "teeflow.yml");
    }

    @Test
    void theSameInGroovy() {
        // Groovy text constants hold at most 65,535 characters: 60,000 referenced 150 times.
        String groovy = "pipeline {\n  apiVersion 'teeflow/v1'\n  kind 'Pipeline'\n  name 'x'\n  params { p '"
                + "a".repeat(60_000) + "' }\n  description '" + "${{ params.p }}".repeat(150) + "'\n}\n";
        assertGrowthRefused(errors("teeflow.groovy", groovy, Map.of()), "teeflow.groovy");
    }
}
