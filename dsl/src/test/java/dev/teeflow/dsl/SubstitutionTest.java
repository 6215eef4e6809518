package dev.teeflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.Template;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ${{ params.X }} and ${{ env.X }} are replaced in every string before sections read the tree. */
class SubstitutionTest {
    private static final String FILE = """
            apiVersion: teeflow/v1
            kind: Pipeline
            name: subst-${{ params.tag }}
            params:
              tag: "1.0.0"
              count: {default: 3, description: how many}
              registry: {default: "${{ env.REGISTRY || 'localhost:5000' }}"}
            steps:
              s:
                type: command
                with:
                  command: [echo, "${{ params.count }}", "image:${{ params.tag }}", "${{ env.USER_NAME }}"]
                  image: "${{ params.registry }}/app:${{ params.tag }}"
                  digest: "${{ other.digest }}"
                  mixed: "${{ params.tag }}-${{ other.digest }}"
            """;
    @TempDir
    Path dir;
    LoaderFixture f;

    @BeforeEach
    void setUp() {
        f = new LoaderFixture(dir);
    }

    @Test
    void defaultsAndEnvironmentAreSubstituted() {
        Pipeline p = f.load("teeflow.yml", FILE, Map.of(), Map.of("USER_NAME", "ada"));
        assertThat(p.name()).isEqualTo("subst-1.0.0");
        Map<String, Object> in = p.steps().get("s").inputs();
        assertThat(in.get("command")).isEqualTo(List.of("echo", "3", "image:1.0.0", "ada"));
        assertThat(in.get("image")).isEqualTo("localhost:5000/app:1.0.0");
        assertThat(in.get("digest")).isEqualTo(new Ref("other", "digest"));
        assertThat(in.get("mixed")).isEqualTo(new Template(List.of("1.0.0-", new Ref("other", "digest"))));
    }

    @Test
    void commandLineValuesWinAndWholeScalarsStayText() {
        Pipeline p = f.load("teeflow.yml", FILE, Map.of("tag", "2", "count", "42"),
                Map.of("USER_NAME", "ada", "REGISTRY", "reg.example"));
        Map<String, Object> in = p.steps().get("s").inputs();
        assertThat(in.get("command")).isEqualTo(List.of("echo", "42", "image:2", "ada"));
        assertThat(((List<?>) in.get("command")).get(1)).isInstanceOf(String.class);
        assertThat(in.get("image")).isEqualTo("reg.example/app:2");
        assertThat(p.projectDir()).isEqualTo(dir.toAbsolutePath());
    }

    @Test
    void aParamDefaultCannotUseAnotherParam() {
        List<Diagnostic> errors = f.errors("teeflow.yml", """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: x
                params:
                  a: "1"
                  b: "${{ params.a }}"
                """);
        assertThat(errors).extracting(Diagnostic::message)
                .containsExactly("a parameter's default cannot use other parameters (${{ params.a }})");
    }

    @Test
    void malformedExpressionIsReported() {
        List<Diagnostic> errors = f.errors("teeflow.yml", """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: "${{ params.1x }}"
                """);
        assertThat(errors).extracting(Diagnostic::message).first().asString().startsWith("malformed expression");
    }
}
