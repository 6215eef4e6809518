package dev.teeflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.dsl.groovy.GroovyFrontEnd;
import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.config.InvalidPipelineException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A pipeline script cannot reach files, processes, sockets or the JVM: only the DSL. */
class GroovySandboxTest {
    @TempDir
    Path dir;

    private List<Diagnostic> rejected(String script) throws Exception {
        Path file = Files.writeString(dir.resolve("teeflow.groovy"), script);
        InvalidPipelineException[] caught = new InvalidPipelineException[1];
        assertThatThrownBy(() -> new GroovyFrontEnd().parse(file))
                .isInstanceOfSatisfying(InvalidPipelineException.class, e -> caught[0] = e);
        return caught[0].diagnostics();
    }

    @Test
    void cannotReadAFile() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-VALUE");
        String path = secret.toString();
        for (String attempt : List.of(
                "pipeline { name new File('" + path + "').text }",
                "pipeline { name(java.nio.file.Files.readString(java.nio.file.Path.of('" + path + "'))) }",
                "pipeline { name \"${new File('" + path + "').text}\" }",
                "import java.nio.file.*\npipeline { name Files.readString(Paths.get('" + path + "')) }",
                "pipeline { name(this.getClass().getResource('file:" + path + "').text) }",
                "pipeline { name(evaluate(\"new File('" + path + "').text\")) }")) {
            List<Diagnostic> errors = rejected(attempt);
            assertThat(errors).as(attempt).isNotEmpty();
            assertThat(errors).as(attempt).allSatisfy(d -> {
                assertThat(d.toString()).doesNotContain("TOP-SECRET-VALUE");
                assertThat(d.location().line()).isPositive();
            });
        }
    }

    @Test
    void cannotStartAProcess() throws Exception {
        Path marker = dir.resolve("pwned");
        for (String attempt : List.of(
                "pipeline { name(['touch', '" + marker + "'].execute().text) }",
                "pipeline { name('touch " + marker + "'.execute()) }",
                "pipeline { name(new ProcessBuilder('touch', '" + marker + "').start()) }",
                "pipeline { name(Runtime.getRuntime().exec('touch " + marker + "')) }",
                "pipeline { name(Class.forName('java.lang.Runtime')) }",
                "pipeline { name(System.exit(3)) }",
                "pipeline { execute 'touch " + marker + "' }")) {
            assertThat(rejected(attempt)).as(attempt).isNotEmpty();
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void cannotOpenASocket() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            for (String attempt : List.of(
                    "pipeline { name(new Socket('127.0.0.1', " + port + ")) }",
                    "pipeline { name(new java.net.Socket('127.0.0.1', " + port + ").getInputStream()) }",
                    "pipeline { name(new URL('http://127.0.0.1:" + port + "/').text) }",
                    "pipeline { name('http://127.0.0.1:" + port + "/'.toURL().text) }")) {
                assertThat(rejected(attempt)).as(attempt).isNotEmpty();
            }
            server.setSoTimeout(200);
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "@Grab('org.example:evil:1.0')\nimport org.example.Evil\npipeline { name 'x' }",
        "class Evil { }\npipeline { name 'x' }",
        "def evil() { 1 }\npipeline { name 'x' }",
        "pipeline { name(this.class.classLoader) }",
        "pipeline { name(metaClass) }",
        "pipeline { name(owner) }",
        "pipeline { name(binding) }",
        "pipeline { def c = { 1 }; name(c()) }",
        "pipeline { name(this.&evaluate) }",
        "pipeline { while (true) { name 'x' } }",
        "pipeline { for (i in 1..3) { name 'x' } }",
        "pipeline { name(1 << 40) }",
        "pipeline { getClass() }",
        "package evil\npipeline { name 'x' }",
    })
    void forbiddenShapesAreRejectedWithTheirLine(String script) throws Exception {
        List<Diagnostic> errors = rejected(script);
        assertThat(errors).isNotEmpty();
        assertThat(errors).allSatisfy(d -> assertThat(d.location().line()).isPositive());
    }

    @Test
    void syntaxErrorsCarryTheScriptLine() throws Exception {
        List<Diagnostic> errors = rejected("pipeline {\n  name 'x'\n  steps {\n    a { type 'command' \n}\n");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).location().line()).isPositive();
        assertThat(errors.get(0).message()).contains("Unexpected input");
    }

    @Test
    void everyViolationIsReportedAtOnce() throws Exception {
        List<Diagnostic> errors = rejected("pipeline {\n  name System.getenv('HOME')\n  kind new Object()\n  apiVersion('x'.toUpperCase())\n}\n");
        assertThat(errors).extracting(d -> d.location().line()).contains(2, 3, 4);
    }

    @Test
    void aMethodDefinitionIsReportedOnceAtItsLine() throws Exception {
        assertThat(rejected("pipeline { name 'x' }\ndef evil() { 1 }\n")).singleElement().satisfies(d -> {
            assertThat(d.message()).isEqualTo("a pipeline script cannot define methods ('evil')");
            assertThat(d.location().line()).isEqualTo(2);
            assertThat(d.location().column()).isEqualTo(1);
        });
    }

    @Test
    void aRunawayScriptIsStopped() throws Exception {
        StringBuilder script = new StringBuilder("pipeline {\n");
        for (int i = 0; i < 2000; i++) {
            script.append("  k").append(i).append(" 'v'\n");
        }
        script.append("}\n");
        Path file = Files.writeString(dir.resolve("slow.groovy"), script);
        var frontEnd = new GroovyFrontEnd(java.time.Duration.ZERO);
        assertThatThrownBy(() -> frontEnd.parse(file)).isInstanceOf(InvalidPipelineException.class)
                .hasMessageContaining("did not finish within");
    }
}
