package dev.teeflow.actions.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.testing.FakeStepContext;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steps find devnets under the TEEFLOW_HOME their context gives them, not the process's. */
class ChainResolverFromContextTest {
    @TempDir
    Path project;

    @Test
    void theHomeComesFromTheStepContext() {
        Path home = project.resolve("elsewhere");
        FakeStepContext ctx = new FakeStepContext("s", project, Map.of())
                .withEnvironment(Map.of("TEEFLOW_HOME", home.toString()));
        assertThat(ChainResolver.of(ctx).teeflowHome()).isEqualTo(home);
    }
}
