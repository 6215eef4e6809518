package dev.teeflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.dsl.PipelineLoader;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.EngineOptions;
import dev.teeflow.engine.spi.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example written both ways reads into the same steps and plans the same way. */
class YamlAndGroovyExamplesTest {
    @TempDir
    Path state;

    static Stream<Path> examplesWithBothForms() throws Exception {
        Path root = Files.isDirectory(Path.of("hello")) ? Path.of(".") : Path.of("examples");
        try (Stream<Path> dirs = Files.list(root)) {
            List<Path> both = dirs.filter(d -> Files.isRegularFile(d.resolve("teeflow.yml"))
                    && Files.isRegularFile(d.resolve("teeflow.groovy"))).sorted().toList();
            assertThat(both).extracting(p -> p.getFileName().toString()).contains("hello", "email-checker");
            return both.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examplesWithBothForms")
    void theYamlAndGroovyFormsGiveTheSameStepsAndTheSamePlan(Path example) {
        Registry registry = Registry.load();
        Map<String, String> env = Map.of();
        Pipeline yaml = new PipelineLoader().load(example.resolve("teeflow.yml").toAbsolutePath(), Map.of(), env, registry);
        Pipeline groovy = new PipelineLoader().load(example.resolve("teeflow.groovy").toAbsolutePath(), Map.of(), env, registry);

        assertThat(groovy.name()).isEqualTo(yaml.name());
        assertThat(groovy.steps().keySet()).containsExactlyElementsOf(yaml.steps().keySet());
        for (StepSpec y : yaml.steps().values()) {
            StepSpec g = groovy.steps().get(y.address());
            assertThat(g.type()).as(y.address()).isEqualTo(y.type());
            assertThat(g.inputs()).as(y.address()).isEqualTo(y.inputs());
            assertThat(g.needs()).as(y.address()).isEqualTo(y.needs());
            assertThat(g.always()).as(y.address()).isEqualTo(y.always());
        }

        Plan yamlPlan = plan(yaml, registry, state.resolve("yaml"));
        Plan groovyPlan = plan(groovy, registry, state.resolve("groovy"));
        assertThat(groovyPlan.steps()).hasSameSizeAs(yamlPlan.steps());
        for (int i = 0; i < yamlPlan.steps().size(); i++) {
            var y = yamlPlan.steps().get(i);
            var g = groovyPlan.steps().get(i);
            assertThat(List.of(g.address(), g.action(), g.reason())).isEqualTo(List.of(y.address(), y.action(), y.reason()));
        }
    }

    private static Plan plan(Pipeline pipeline, Registry registry, Path stateDir) {
        return Engine.open(pipeline, registry, EngineOptions.defaults(stateDir).withEnv(dev.teeflow.engine.testing.BuildHome.with(Map.of()))).plan(List.of(), List.of());
    }
}
