package dev.teeflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.dsl.groovy.GroovyFrontEnd;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.InvalidPipelineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A pipeline script cannot use time or memory without bound: what it builds is bounded from its text
 * (no loops, no recursion), and the shapes the parser is slow on are refused before parsing. The
 * timeouts are guards against a hang, not assertions on speed.
 */
class GroovyLimitsTest {
    @TempDir
    Path dir;

    private static String doubling(String first, String grow) {
        return first + "\n" + IntStream.rangeClosed(1, 40).mapToObj(i -> grow.replace("PREV", "v" + (i - 1))
                .replace("NEXT", "v" + i)).collect(Collectors.joining("\n")) + "\npipeline { name v40 }\n";
    }

    static Stream<Arguments> growingScripts() {
        return Stream.of(
                Arguments.of("text doubled with '+'", doubling("def v0 = 'aaaaaaaaaaaaaaaa'", "def NEXT = PREV + PREV"), 19),
                Arguments.of("a list doubled with '+'", doubling("def v0 = ['a', 'b']", "def NEXT = PREV + PREV"), 22),
                Arguments.of("a list of itself", doubling("def v0 = ['aaaaaaaa']", "def NEXT = [PREV, PREV]"), 20),
                Arguments.of("a map of itself", doubling("def v0 = [a: 'aaaaaaaa']", "def NEXT = [a: PREV, b: PREV]"), 20),
                Arguments.of("a double-quoted string", doubling("def v0 = 'aaaaaaaaaaaaaaaa'", "def NEXT = \"${PREV}${PREV}\""), 19),
                Arguments.of("a closure used twice", doubling("def v0 = { k 'aaaaaaaa' }", "def NEXT = { a PREV; b PREV }"), 19));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("growingScripts")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void growthIsRefusedFromTheText(String name, String script, int line) throws Exception {
        assertThat(refused(script)).singleElement().satisfies(d -> {
            assertThat(d.message()).contains("builds more than");
            assertThat(d.location().line()).isEqualTo(line);
            assertThat(d.location().column()).isPositive();
        });
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aHalfMillionDigitNumberIsRefusedBeforeParsing() throws Exception {
        assertThat(refused("pipeline {\n  n " + "1".repeat(500_000) + "\n}\n")).singleElement().satisfies(d -> {
            assertThat(d.message()).contains("at most 100 digits");
            assertThat(d.location().line()).isEqualTo(2);
            assertThat(d.location().column()).isEqualTo(5);
        });
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void deepNestingIsRefusedBeforeParsing() throws Exception {
        for (String open : new String[] {"(", "[", "k { "}) {
            String close = open.equals("(") ? ")" : open.equals("[") ? "]" : " }";
            String script = "pipeline { n " + open.repeat(10_000) + "1" + close.repeat(10_000) + " }\n";
            assertThat(refused(script)).singleElement().satisfies(d -> {
                assertThat(d.message()).contains("deeper than 64 levels");
                assertThat(d.location().line()).isEqualTo(1);
            });
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aLongChainOfPlusIsRefused() throws Exception {
        String chain = String.join(" + ", java.util.Collections.nCopies(5_000, "'a'"));
        assertThat(refused("pipeline { n " + chain + " }\n")).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("deeper than 100 levels"));
    }

    @Test
    void brokenBracketsInStringsAndCommentsDoNotCount() throws Exception {
        Path file = Files.writeString(dir.resolve("teeflow.groovy"), """
                // ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((
                def dir = 'x(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((('
                pipeline {
                    name "${dir}/[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                    /* {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{ */
                    id '1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123'
                    count(-5)
                    joined(['a'] + ['b'])
                }
                """);
        ConfigNode root = new GroovyFrontEnd().parse(file);
        assertThat(root.entries().get("name").asText()).startsWith("x((((").endsWith("[[[[");
        assertThat(root.entries().get("count").value()).isEqualTo(-5L);
        assertThat(root.entries().get("joined").items()).hasSize(2);
    }

    private java.util.List<dev.teeflow.engine.config.Diagnostic> refused(String script) throws Exception {
        Path file = Files.writeString(dir.resolve("teeflow.groovy"), script);
        InvalidPipelineException[] caught = new InvalidPipelineException[1];
        assertThatThrownBy(() -> new GroovyFrontEnd().parse(file))
                .isInstanceOfSatisfying(InvalidPipelineException.class, e -> caught[0] = e);
        return caught[0].diagnostics();
    }
}
