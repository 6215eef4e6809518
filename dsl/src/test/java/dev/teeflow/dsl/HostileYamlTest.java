package dev.teeflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.teeflow.dsl.yaml.YamlFrontEnd;
import dev.teeflow.engine.config.InvalidPipelineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input crafted to exhaust the loader is refused quickly, in little memory, with a clear message. */
class HostileYamlTest {
    @TempDir
    Path dir;

    private String rejected(String text) throws Exception {
        Path file = Files.writeString(dir.resolve("teeflow.yml"), text);
        long before = usedMemory();
        String[] message = new String[1];
        // Not a speed goal: a guard against an expansion that would run (nearly) forever on a slow machine.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> new YamlFrontEnd().parse(file))
                .isInstanceOfSatisfying(InvalidPipelineException.class, e -> message[0] = e.getMessage()));
        assertThat(usedMemory() - before).isLessThan(256L << 20);
        return message[0];
    }

    private static long usedMemory() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void billionLaughsIsRejected() throws Exception {
        StringBuilder sb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'i'; c++) {
            sb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                sb.append(i == 0 ? "" : ",").append('*').append(prev);
            }
            sb.append("]\n");
            prev = c;
        }
        assertThat(rejected(sb.toString())).contains("too many aliases");
    }

    @Test
    void aBombWithFewAliasesPerLevelHitsTheNodeBudget() throws Exception {
        StringBuilder sb = new StringBuilder("l0: &l0 [x, x]\n");
        for (int i = 1; i <= 24; i++) {
            sb.append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
        }
        assertThat(rejected(sb.toString())).contains("expands to more than " + YamlFrontEnd.MAX_NODES + " values");
    }

    @Test
    void deepNestingIsRejected() throws Exception {
        String text = "a: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
        assertThat(rejected(text)).contains("nests deeper than " + YamlFrontEnd.MAX_DEPTH + " levels");
    }

    @Test
    void deepBlockNestingIsRejectedWithItsLine() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            sb.append("  ".repeat(i)).append("k").append(i).append(":\n");
        }
        String message = rejected(sb.toString());
        assertThat(message).contains("teeflow.yml:" + (YamlFrontEnd.MAX_DEPTH + 1) + ":");
    }

    @Test
    void aRecursiveAliasIsRejected() throws Exception {
        assertThat(rejected("a: &a [x, *a]\n")).contains("alias refers to a map or list that contains it");
    }

    @Test
    void anOversizedFileIsRejectedBeforeParsing() throws Exception {
        assertThat(rejected("# " + "x".repeat(2 << 20) + "\n")).contains("a pipeline file may be at most");
    }

    @Test
    void onlyOneDocumentIsAllowed() throws Exception {
        assertThat(rejected("a: 1\n---\nb: 2\n")).contains("expected a single document");
    }

    @Test
    void emptyFileIsRejected() throws Exception {
        assertThat(rejected("# nothing\n")).contains("the file is empty");
    }

    @Test
    void unknownTagsAreRejected() throws Exception {
        assertThat(rejected("a: !!binary aGk=\n")).contains("unsupported YAML tag");
    }

    @Test
    void tagsOnMapsAndListsAreRejectedWithTheirPlace() throws Exception {
        String file = dir.resolve("teeflow.yml").toString();
        assertThat(rejected("apiVersion: teeflow/v1\nparams: !!javax.script.ScriptEngineManager\n  a: b\n"))
                .contains(file + ":2:9: params: unsupported YAML tag '!!javax.script.ScriptEngineManager'");
        assertThat(rejected("a:\n  b: !!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1/\"]]]\n"))
                .contains(file + ":2:6: a.b: unsupported YAML tag '!!java.net.URLClassLoader'")
                .contains(file + ":2:34: a.b[0][0]: unsupported YAML tag '!!java.net.URL'");
        assertThat(rejected("a: !local {b: 1}\nc: !<tag:example.com,2000:x> [1]\n"))
                .contains(":1:4: a: unsupported YAML tag '!local'")
                .contains(":2:4: c: unsupported YAML tag '!<tag:example.com,2000:x>'");
    }

    @Test
    void aHalfMillionDigitNumberIsRejectedQuickly() throws Exception {
        assertThat(rejected("apiVersion: teeflow/v1\nn: " + "1".repeat(500_000) + "\n"))
                .contains(":2:4: n: a number may have at most 100 digits; quote it to keep it as text");
        assertThat(rejected("n: 1e999999999\n")).contains(":1:4: n: a number may have at most 100 digits");
    }
}
