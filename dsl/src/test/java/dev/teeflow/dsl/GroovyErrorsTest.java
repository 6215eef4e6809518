package dev.teeflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.model.Pipeline;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes in a Groovy pipeline are reported at the script's own lines, like YAML ones. */
class GroovyErrorsTest {
    @TempDir
    Path dir;
    LoaderFixture f;

    @BeforeEach
    void setUp() {
        f = new LoaderFixture(dir);
    }

    @Test
    void modelErrorsPointAtTheCallThatWroteTheValue() {
        List<Diagnostic> errors = f.errors("teeflow.groovy", """
                pipeline {
                    apiVersion 'teeflow/v1'
                    kind 'Pipeline'
                    name 'demo'
                    app('checker') {
                        build {
                            context '.'
                            dockerfiel 'Dockerfile'
                        }
                    }
                    steps {
                        a { type 'comand'; with { command(['x']) } }
                    }
                    stepz { }
                }
                """);
        assertThat(errors).extracting(Diagnostic::toString).containsExactly(
                dir.resolve("teeflow.groovy") + ":14:5: stepz: unknown top-level key 'stepz' (did you mean 'steps'?);"
                        + " known sections: app, dataset, steps",
                dir.resolve("teeflow.groovy") + ":8:13: app.checker.build.dockerfiel: unknown field 'dockerfiel'"
                        + " (did you mean 'dockerfile'?)",
                dir.resolve("teeflow.groovy") + ":12:9: a: unknown step type 'comand' (did you mean 'command'?);"
                        + " known types: command, fake.build, fake.encrypt, fake.tee");
    }

    @Test
    void duplicateKeysAndUnknownWordsAreReported() {
        List<Diagnostic> errors = f.errors("teeflow.groovy", """
                pipeline {
                    apiVersion 'teeflow/v1'
                    kind 'Pipeline'
                    name 'demo'
                    name 'again'
                }
                """);
        assertThat(errors).extracting(d -> d.location().line() + " " + d.message()).containsExactly(
                "5 duplicate key 'name' (first written at " + dir.resolve("teeflow.groovy") + ":4:5)");
        assertThat(f.errors("teeflow.groovy", "pipeline {\n    description nothing\n}\n"))
                .extracting(d -> d.location().line() + ":" + d.location().column() + " " + d.message()).containsExactly(
                "2:17 'nothing' has no value here; to set it write nothing 'value', or declare a local variable"
                        + " before it with def nothing = ...");
    }

    @Test
    void paramsAndEnvWorkInGroovyToo() {
        Pipeline p = f.load("teeflow.groovy", """
                pipeline {
                    apiVersion 'teeflow/v1'
                    kind 'Pipeline'
                    name 'demo-${{ params.tag }}'
                    params { tag { description 'the tag' } }
                    steps {
                        a {
                            type 'command'
                            with { command 'echo', '${{ env.WHO }}' }
                        }
                    }
                }
                """, Map.of("tag", "7"), Map.of("WHO", "me"));
        assertThat(p.name()).isEqualTo("demo-7");
        assertThat(p.steps().get("a").inputs().get("command")).isEqualTo(List.of("echo", "me"));
        assertThat(p.steps().get("a").location().line()).isEqualTo(7);
    }

    @Test
    void aScriptWithoutPipelineIsRejected() {
        assertThat(f.errors("teeflow.groovy", "def x = 'y'\n")).extracting(Diagnostic::message)
                .containsExactly("the script defines no pipeline; write pipeline { apiVersion 'teeflow/v1' ... }");
    }
}
