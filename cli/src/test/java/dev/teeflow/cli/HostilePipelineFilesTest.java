package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.teeflow.dsl.PipelineLoader;
import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.config.InvalidPipelineException;
import dev.teeflow.engine.graph.StepGraph;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.spi.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Feeds mutated and generated pipeline files to the loader and the graph, as {@code teeflow validate}
 * does, with every real section and step type: each must either load or be rejected with
 * {@link InvalidPipelineException} whose every problem has a file and line. Anything else (another
 * exception, a hang) is a bug.
 */
class HostilePipelineFilesTest {
    private static final List<String> SEEDS = List.of("app-dataset.yml", "hello.yml", "keys-and-values.yml",
            "hello-example.yml", "iexec.yml");
    private static final List<String> TOKENS = List.of(":", ": ", "-", "- ", "{", "}", "[", "]", ",", "\n", "  ", "\t",
            "${{", "}}", "${{ params.x }}", "${{ env.NOPE }}", "${{ a.b }}", "&a ", "*a", "!!str ", "!!binary ", "? ",
            "|", ">", "#", "'", "\"", "\\", "%YAML 1.2\n", "---\n", "...\n", "null", "~", "true", "0x", "1e999",
            "\u0000", "\uFEFF", "é", "\uD83D\uDE00", "steps:", "type: command", "with:", "needs:", "app:", "dataset:",
            "run:", "env:X", "file:../../etc/passwd", "<<: *a", "apiVersion: teeflow/v1", "kind: Pipeline");

    private static Path dir;
    private static Registry registry;
    private static List<String> seeds;

    @BeforeContainer
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("teeflow-fuzz");
        registry = Registry.load();
        seeds = new ArrayList<>();
        for (String s : SEEDS) {
            try (InputStream in = HostilePipelineFilesTest.class.getResourceAsStream("/fuzz-seeds/" + s)) {
                seeds.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    @AfterContainer
    static void tearDown() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 20_000)
    void mutatedPipelinesLoadOrFailWithLocatedErrors(@ForAll("mutants") String text) {
        check(text);
    }

    @Property(tries = 10_000)
    void generatedPipelinesLoadOrFailWithLocatedErrors(@ForAll("generated") String text) {
        check(text);
    }

    private static void check(String text) {
        Path file = dir.resolve("teeflow.yml");
        try {
            // getBytes, not writeString: a mutant may hold a lone surrogate, which writeString refuses
            // (the test would fail on its own set-up); getBytes writes '?' for it, still hostile input.
            Files.write(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Pipeline p = new PipelineLoader().load(file, Map.of(), Map.of("HOME_DIR", "/h"), registry);
            StepGraph.of(p, registry);
        } catch (InvalidPipelineException e) {
            assertThat(e.diagnostics()).isNotEmpty();
            for (Diagnostic d : e.diagnostics()) {
                assertThat(d.location().file()).as("problem without a file: %s", d).isNotNull();
                assertThat(d.message()).as("problem without a message").isNotBlank();
            }
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            fail("input made the loader throw " + e + "\n--- input ---\n" + text, e);
        }
    }

    @Provide
    Arbitrary<String> mutants() {
        Arbitrary<Integer> seed = Arbitraries.integers().between(0, SEEDS.size() - 1);
        Arbitrary<List<int[]>> edits = Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(0, TOKENS.size() - 1))
                .as((kind, at, len, token) -> new int[] {kind, at, len, token})
                .list().ofMinSize(1).ofMaxSize(6);
        return Combinators.combine(seed, edits).as((s, e) -> mutate(seeds.get(s), e));
    }

    /** Applies edits: 0 delete a range, 1 insert a token, 2 duplicate a line, 3 swap two lines, 4 re-indent a line. */
    static String mutate(String text, List<int[]> edits) {
        StringBuilder sb = new StringBuilder(text);
        for (int[] e : edits) {
            int at = sb.length() == 0 ? 0 : e[1] % sb.length();
            switch (e[0]) {
                case 0 -> sb.delete(at, Math.min(sb.length(), at + e[2]));
                case 1 -> sb.insert(at, TOKENS.get(e[3]));
                default -> {
                    List<String> lines = new ArrayList<>(List.of(sb.toString().split("\n", -1)));
                    int i = e[1] % lines.size();
                    int j = e[2] % lines.size();
                    if (e[0] == 2) {
                        lines.add(i, lines.get(i));
                    } else if (e[0] == 3) {
                        String tmp = lines.get(i);
                        lines.set(i, lines.get(j));
                        lines.set(j, tmp);
                    } else {
                        lines.set(i, " ".repeat(e[2] % 7) + lines.get(i).stripLeading());
                    }
                    sb = new StringBuilder(String.join("\n", lines));
                }
            }
        }
        return sb.toString();
    }

    @Provide
    Arbitrary<String> generated() {
        Arbitrary<String> keys = Arbitraries.of("app", "dataset", "steps", "secrets", "run", "wallet", "target",
                "build", "tee", "push", "publish", "file", "type", "with", "needs", "command", "run", "outputs",
                "framework", "context", "params", "x", "my-step", "a.b", "");
        Arbitrary<String> scalars = Arbitraries.oneOf(Arbitraries.of("command", "file", "tdx", "scone", ".", "env:X",
                        "${{ my-step.stdout }}", "${{ params.p }}", "true", "0x12", "-1", "[]", "{}", "null"),
                Arbitraries.strings().ofMaxLength(12));
        Arbitrary<String> entries = Combinators.combine(keys, scalars, Arbitraries.integers().between(0, 3),
                        Arbitraries.of(": ", ":\n  - ", ": {", ": ["))
                .as((k, v, depth, sep) -> "  ".repeat(depth) + k + sep + v + (sep.endsWith("{") ? "}" : sep.endsWith("[") ? "]" : ""))
                .list().ofMaxSize(25)
                .map(l -> String.join("\n", l));
        return entries.map(body -> "apiVersion: teeflow/v1\nkind: Pipeline\nname: g\n" + body + "\n");
    }
}
