package dev.teeflow.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One walk and one naming rule for every section of named blocks. */
class NamedBlocksTest {
    private static final SourceLocation AT = new SourceLocation(Path.of("teeflow.yml"), 3, 1);

    private static ConfigNode section(String key, Map<String, ConfigNode> blocks) {
        return ConfigNode.map(key, AT, blocks);
    }

    private static ConfigNode block(String path) {
        return ConfigNode.map(path, AT, Map.of());
    }

    @Test
    void wellNamedMapBlocksAreWalkedInOrderAndTheOthersReported() {
        Map<String, ConfigNode> blocks = new LinkedHashMap<>();
        blocks.put("checker", block("app.checker"));
        blocks.put("Other_2", block("app.Other_2"));
        blocks.put("bad.name", block("app.bad.name"));
        blocks.put("-dash", block("app.-dash"));
        blocks.put("scalar", ConfigNode.scalar("app.scalar", AT, "x"));
        Problems problems = new Problems();
        List<String> seen = new ArrayList<>();
        NamedBlocks.forEach(section("app", blocks), problems, "app", "{ checker: {} }", "build, tee", (n, b) -> seen.add(n));

        assertThat(seen).containsExactly("checker", "Other_2");
        assertThat(problems.all()).extracting(Diagnostic::message).containsExactly(
                "app name 'bad.name' must start with a letter or digit and hold only letters, digits, '-' and '_'"
                        + " (it becomes part of step addresses such as app.bad_name.<step>)",
                "app name '-dash' must start with a letter or digit and hold only letters, digits, '-' and '_'"
                        + " (it becomes part of step addresses such as app.dash.<step>)",
                "expected the app's settings as a map (build, tee), found a string");
    }

    @Test
    void aSectionThatIsNotAMapIsOneProblemAndAnEmptyOneNone() {
        Problems problems = new Problems();
        NamedBlocks.forEach(ConfigNode.scalar("run", AT, "x"), problems, "run", "{ check: {} }", "app", (n, b) -> { });
        assertThat(problems.all()).extracting(Diagnostic::message)
                .containsExactly("expected a map of runs by name, such as run: { check: {} }, found a string");
        Problems none = new Problems();
        NamedBlocks.forEach(ConfigNode.scalar("run", AT, null), none, "run", "{}", "app", (n, b) -> { });
        assertThat(none.isEmpty()).isTrue();
    }
}
