package dev.teeflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.dsl.steps.GenericStepsSection;
import dev.teeflow.engine.config.InvalidPipelineException;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Registry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineLoaderTest {
    @TempDir
    Path dir;
    LoaderFixture f;

    @BeforeEach
    void setUp() {
        f = new LoaderFixture(dir);
    }

    @Test
    void theStepsSectionIsFoundThroughServiceLoader() {
        assertThat(Registry.load().sectionTypes().get("steps")).isInstanceOf(GenericStepsSection.class);
    }

    @Test
    void genericStepsBecomeStepSpecsInDeclarationOrder() {
        Pipeline p = f.load("pipeline.yaml", """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: demo
                steps:
                  zeta:
                    type: command
                    with: {command: [echo, z], secret: {secret: env:TOKEN}}
                  alpha:
                    type: command
                    with: {command: [echo, a]}
                    needs: [zeta]
                    always: true
                """);
        assertThat(p.name()).isEqualTo("demo");
        assertThat(p.file()).isEqualTo(dir.resolve("pipeline.yaml"));
        assertThat(p.steps().keySet()).containsExactly("zeta", "alpha");
        StepSpec alpha = p.steps().get("alpha");
        assertThat(alpha.type()).isEqualTo("command");
        assertThat(alpha.needs()).isEqualTo(Set.of("zeta"));
        assertThat(alpha.always()).isTrue();
        assertThat(alpha.location().line()).isEqualTo(8);
        assertThat(alpha.source().path()).isEqualTo("steps.alpha.with");
        assertThat(p.steps().get("zeta").inputs().get("secret"))
                .isEqualTo(dev.teeflow.engine.secret.SecretRef.env("TOKEN"));
        assertThat(p.steps().get("zeta").inputs().get("command")).isEqualTo(List.of("echo", "z"));
    }

    @Test
    void referencesAreNotCheckedHere() {
        Pipeline p = f.load("teeflow.yml", """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: demo
                steps:
                  a: {type: command, with: {command: ['${{ missing.out }}']}, needs: [ghost]}
                """);
        assertThat(p.steps().get("a").needs()).containsExactly("ghost");
    }

    @Test
    void unknownExtensionAndMissingFileAreClearErrors() {
        Path txt = f.write("pipeline.txt", "name: x\n");
        assertThatThrownBy(() -> new PipelineLoader().load(txt, Map.of(), Map.of(), Registry.load()))
                .isInstanceOf(InvalidPipelineException.class).hasMessageContaining("name it *.yml, *.yaml or *.groovy");
        assertThatThrownBy(() -> new PipelineLoader().load(dir.resolve("nope.yml"), Map.of(), Map.of(), Registry.load()))
                .isInstanceOf(InvalidPipelineException.class).hasMessageContaining("pipeline file not found");
    }
}
