package dev.teeflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.dsl.fixtures.TestSections;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.StepSpec;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every sample written in YAML and in Groovy gives the same tree and the same model. */
class EquivalenceTest {
    private final PipelineLoader loader = new PipelineLoader();
    private static final Map<String, String> ENV = Map.of("HOME_DIR", "/home/me");

    @ParameterizedTest
    @ValueSource(strings = {"hello", "app-dataset", "keys-and-values"})
    void yamlAndGroovyGiveTheSameTreeAndModel(String sample) throws Exception {
        Path yml = sample(sample + ".yml");
        Path groovy = sample(sample + ".groovy");

        assertThat(describe(loader.parse(groovy))).containsExactlyElementsOf(describe(loader.parse(yml)));

        Pipeline a = loader.load(yml, Map.of(), ENV, TestSections.registry());
        Pipeline b = loader.load(groovy, Map.of(), ENV, TestSections.registry());
        assertThat(a.name()).isEqualTo(b.name());
        assertThat(a.projectDir()).isEqualTo(b.projectDir());
        assertThat(a.steps()).isNotEmpty();
        assertThat(steps(b)).containsExactlyElementsOf(steps(a));
        // Locations point into each file.
        b.steps().values().forEach(s -> {
            assertThat(s.location().file()).isEqualTo(groovy);
            assertThat(s.location().line()).isPositive();
        });
    }

    static Path sample(String name) throws URISyntaxException {
        return Path.of(EquivalenceTest.class.getResource("/samples/" + name).toURI());
    }

    private static List<String> steps(Pipeline p) {
        List<String> out = new ArrayList<>();
        for (StepSpec s : p.steps().values()) {
            out.add(s.address() + " type=" + s.type() + " inputs=" + s.inputs() + " needs=" + s.needs()
                    + " always=" + s.always() + " source=" + (s.source() == null ? null : s.source().path()));
        }
        return out;
    }

    /** Path, kind and value of every node, in order: two trees are equal when these lists are. */
    static List<String> describe(ConfigNode node) {
        List<String> out = new ArrayList<>();
        walk(node, out);
        return out;
    }

    private static void walk(ConfigNode n, List<String> out) {
        String value = n.isScalar() ? " = " + (n.value() == null ? "null" : n.value().getClass().getSimpleName() + ":" + n.value()) : "";
        out.add(n.path() + " " + n.kind() + value);
        n.entries().values().forEach(c -> walk(c, out));
        n.items().forEach(c -> walk(c, out));
    }
}
