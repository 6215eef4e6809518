package dev.teeflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.dsl.fixtures.FakeStepType;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.InvalidPipelineException;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.spi.SectionType;
import java.util.Set;
import java.util.function.Consumer;

import dev.teeflow.engine.config.Diagnostic;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of mistake in a YAML pipeline is reported with file:line:column and a clear message. */
class YamlErrorsTest {
    private static final String HEADER = "apiVersion: teeflow/v1\nkind: Pipeline\nname: demo\n";
    @TempDir
    Path dir;
    LoaderFixture f;

    @BeforeEach
    void setUp() {
        f = new LoaderFixture(dir);
    }

    private static Diagnostic only(List<Diagnostic> errors) {
        assertThat(errors).hasSize(1);
        return errors.get(0);
    }

    @Test
    void badYamlSyntaxNamesTheLine() {
        Diagnostic d = only(f.errors("teeflow.yml", HEADER + "steps:\n  a: [unclosed\n  b: 1\n"));
        assertThat(d.location().file()).isEqualTo(dir.resolve("teeflow.yml"));
        assertThat(d.location().line()).isBetween(5, 7);
        assertThat(d.message()).startsWith("invalid YAML:");
        assertThat(d.toString()).contains("teeflow.yml:" + d.location().line() + ":");
    }

    @Test
    void tabIndentationIsASyntaxErrorWithItsLine() {
        Diagnostic d = only(f.errors("teeflow.yml", HEADER + "steps:\n\ta: 1\n"));
        assertThat(d.location().line()).isEqualTo(5);
        assertThat(d.message()).contains("invalid YAML");
    }

    @Test
    void missingApiVersion() {
        Diagnostic d = only(f.errors("teeflow.yml", "kind: Pipeline\nname: demo\n"));
        assertThat(d.location().line()).isEqualTo(1);
        assertThat(d.path()).isEqualTo("apiVersion");
        assertThat(d.message()).isEqualTo("missing 'apiVersion: teeflow/v1' at the top of the file");
    }

    @Test
    void wrongApiVersionAndKindPointAtTheirValues() {
        List<Diagnostic> errors = f.errors("teeflow.yml", "apiVersion: teeflow/v2\nkind: Pipe\nname: demo\n");
        assertThat(errors).extracting(Diagnostic::toString).containsExactly(
                dir.resolve("teeflow.yml") + ":1:13: apiVersion: unsupported apiVersion 'teeflow/v2'; this teeflow reads 'teeflow/v1'",
                dir.resolve("teeflow.yml") + ":2:7: kind: unsupported kind 'Pipe'; expected 'Pipeline'");
    }

    @Test
    void missingName() {
        Diagnostic d = only(f.errors("teeflow.yml", "apiVersion: teeflow/v1\nkind: Pipeline\n"));
        assertThat(d.message()).contains("missing required field 'name'");
    }

    @Test
    void typoInAKeyGetsASuggestion() {
        Diagnostic d = only(f.errors("teeflow.yml", HEADER
                + "app:\n  checker:\n    build:\n      context: .\n      dockerfiel: Dockerfile\n"));
        assertThat(d.location().line()).isEqualTo(8);
        assertThat(d.location().column()).isEqualTo(19);
        assertThat(d.path()).isEqualTo("app.checker.build.dockerfiel");
        assertThat(d.message()).isEqualTo("unknown field 'dockerfiel' (did you mean 'dockerfile'?)");
    }

    @Test
    void unknownSectionGetsASuggestion() {
        Diagnostic d = only(f.errors("teeflow.yml", HEADER + "dataste:\n  emails: {file: a}\n"));
        assertThat(d.location().line()).isEqualTo(4);
        assertThat(d.message()).startsWith("unknown top-level key 'dataste' (did you mean 'dataset'?)");
    }

    @Test
    void unknownStepTypeGetsASuggestion() {
        Diagnostic d = only(f.errors("teeflow.yml", HEADER + "steps:\n  a:\n    type: comand\n    with: {command: [x]}\n"));
        assertThat(d.location().line()).isEqualTo(5);
        assertThat(d.path()).isEqualTo("a");
        assertThat(d.message()).startsWith("unknown step type 'comand' (did you mean 'command'?)");
    }

    @Test
    void duplicateStepAddressIsReportedAtBothPlaces() throws Exception {
        // A section that names its steps after its values, so two entries can clash.
        SectionType named = new SectionType() {
            @Override
            public String key() {
                return "named";
            }

            @Override
            public void expand(ConfigNode section, ConfigNode root, Problems problems, Consumer<StepSpec> emit) {
                section.entries().values().forEach(n -> emit.accept(new StepSpec(n.asText(), "command",
                        Map.of("command", List.of("x")), Set.of(), false, n.location(), n)));
            }
        };
        Registry registry = Registry.of(List.of(FakeStepType.command()), List.of(named));
        Path file = f.write("teeflow.yml", HEADER + "named:\n  x: same\n  y: same\n");
        assertThatThrownBy(() -> new PipelineLoader().load(file, Map.of(), Map.of(), registry))
                .isInstanceOfSatisfying(InvalidPipelineException.class, e -> assertThat(e.diagnostics())
                        .extracting(Diagnostic::toString).containsExactly(
                                file + ":5:6: same: duplicate step address 'same', declared again at " + file + ":6:6",
                                file + ":6:6: same: duplicate step address 'same', first declared at " + file + ":5:6"));
    }

    @Test
    void duplicateKeyIsAnErrorNamingBothLines() {
        Diagnostic d = only(f.errors("teeflow.yml", HEADER + "steps:\n  a:\n    type: command\n    with: {command: [x]}\n"
                + "  a:\n    type: command\n    with: {command: [y]}\n"));
        assertThat(d.location().line()).isEqualTo(8);
        assertThat(d.message()).isEqualTo("duplicate key 'a' (first written at " + dir.resolve("teeflow.yml") + ":5:3)");
    }

    @Test
    void unknownParamGivenOnTheCommandLine() {
        Diagnostic d = only(f.errors("teeflow.yml", HEADER + "params:\n  tag: '1'\n", Map.of("tga", "2"), Map.of()));
        assertThat(d.location().line()).isEqualTo(4);
        assertThat(d.message()).isEqualTo("unknown parameter 'tga' given with -p (did you mean 'tag'?); declared: tag");
    }

    @Test
    void paramWithoutDefaultMustBeGiven() {
        Diagnostic d = only(f.errors("teeflow.yml", HEADER + "params:\n  tag: {description: image tag}\n"));
        assertThat(d.location().line()).isEqualTo(5);
        assertThat(d.path()).isEqualTo("params.tag");
        assertThat(d.message()).isEqualTo("parameter 'tag' has no default; give it with -p tag=VALUE");
    }

    @Test
    void aParamWithoutDefaultIsReportedOnceAtItsDeclarationNotAsUnknownWhereItIsUsed() {
        Diagnostic d = only(f.errors("teeflow.yml", HEADER + "params:\n  tag: {description: image tag}\n"
                + "steps:\n  a:\n    type: command\n    with: {command: [echo, '${{ params.tag }}']}\n"));
        assertThat(d.path()).isEqualTo("params.tag");
        assertThat(d.message()).isEqualTo("parameter 'tag' has no default; give it with -p tag=VALUE");
    }

    @Test
    void unknownParamReferenceInAValue() {
        Diagnostic d = only(f.errors("teeflow.yml", HEADER + "params: {tag: '1'}\n"
                + "steps:\n  a:\n    type: command\n    with: {command: [echo, '${{ params.tga }}']}\n"));
        assertThat(d.location().line()).isEqualTo(8);
        assertThat(d.path()).isEqualTo("steps.a.with.command[1]");
        assertThat(d.message()).startsWith("unknown parameter 'tga' (did you mean 'tag'?)");
    }

    @Test
    void missingEnvironmentVariableNamesTheField() {
        Diagnostic d = only(f.errors("teeflow.yml", HEADER
                + "steps:\n  a:\n    type: command\n    with:\n      command: [echo, '${{ env.NOPE }}']\n"));
        assertThat(d.location().line()).isEqualTo(8);
        assertThat(d.location().column()).isEqualTo(23);
        assertThat(d.path()).isEqualTo("steps.a.with.command[1]");
        assertThat(d.message()).contains("environment variable 'NOPE' is not set");
    }

    @Test
    void aStepTypeValidatesItsInputs() {
        Diagnostic d = only(f.errors("teeflow.yml", HEADER + "steps:\n  a:\n    type: command\n    with: {args: [x]}\n"));
        assertThat(d.path()).isEqualTo("steps.a.with");
        assertThat(d.message()).isEqualTo("step 'a' needs input 'command'");
    }

    @Test
    void badStepNamesAndFieldsAreReported() {
        List<Diagnostic> errors = f.errors("teeflow.yml", HEADER
                + "steps:\n  Bad.Name:\n    type: command\n  b:\n    type: command\n    with: {command: [x]}\n    alwys: true\n");
        assertThat(errors).extracting(Diagnostic::message).containsExactly(
                "step name 'Bad.Name' must start with a letter or digit and hold only letters, digits, '-' and '_'"
                        + " (it is the step's address; dotted addresses belong to sections, such as app.<name>.build)",
                "unknown field 'alwys' (did you mean 'always'?)");
    }

    @Test
    void aFileWithTenMistakesReportsTen() {
        String text = """
                apiVersion: teeflow/v2
                kind: Pipelin
                name: ten
                params:
                  tag: {descrption: x, default: '1'}
                app:
                  checker:
                    biuld: {context: .}
                    tee: {framework: scone, hep: 1G}
                dataset:
                  emails: {file: a, replicas: many}
                steps:
                  a:
                    type: comand
                    with: {command: [x]}
                  b:
                    type: command
                    with: {command: ['${{ env.MISSING }}', '${{ params.tga }}']}
                    needs: a
                stepz: {}
                """;
        List<Diagnostic> errors = f.errors("teeflow.yml", text);
        assertThat(errors).extracting(d -> d.location().line()).containsExactlyInAnyOrder(
                1, 2, 5, 8, 9, 11, 13, 18, 18, 20); // an unknown type is reported at its step
        assertThat(errors).extracting(Diagnostic::message).anySatisfy(m -> assertThat(m).contains("did you mean 'steps'"));
    }
}
