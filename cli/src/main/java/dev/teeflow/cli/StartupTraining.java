package dev.teeflow.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A representative run of the CLI for the JVM's ahead-of-time cache: bin/teeflow runs it once under
 * {@code -XX:AOTCacheOutput} after a build, so that later commands start with the classes they use
 * already loaded and linked. It runs the everyday commands (validate, plan, apply, state, graph,
 * help) on a small YAML pipeline (commands, a file, a dataset to encrypt) in a temporary folder, in
 * this JVM, and prints nothing.
 *
 * <p>Only what every command needs is trained: Groovy pipelines, the chain and Docker clients are
 * left out on purpose, since every class in the cache is loaded at each start.
 */
public final class StartupTraining {
    static final String PIPELINE = """
            apiVersion: teeflow/v1
            kind: Pipeline
            name: training
            params:
              greeting: Hello
            steps:
              words:
                type: command
                with:
                  run: tr 'a-z' 'A-Z' < src/words.txt > build/words.txt
                  inputs: [src/words.txt]
                  outputs: { text: build/words.txt }
              greet:
                type: command
                with:
                  command: [sh, -c, 'echo "${{ params.greeting }}, $(cat build/words.txt)"']
                  inputs: ["${{ words.text }}"]
              page:
                type: file
                with:
                  path: build/index.html
                  content: "<h1>${{ greet.stdout }}</h1>"
            dataset:
              words:
                file: src/words.txt
            """;

    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("teeflow-training");
        try {
            Files.createDirectories(dir.resolve("src"));
            Files.createDirectories(dir.resolve("build"));
            Files.writeString(dir.resolve("src/words.txt"), "teeflow plans what is done\n");
            Path file = dir.resolve("teeflow.yml");
            Files.writeString(file, PIPELINE, StandardCharsets.UTF_8);
            String f = file.toString();
            List<List<String>> commands = List.of(
                    List.of("--version"), List.of("--help"), List.of("plan", "--help"),
                    List.of("validate", "-f", f), List.of("plan", "-f", f), List.of("apply", "-f", f),
                    List.of("plan", "-f", f), List.of("plan", "--json", "-f", f), List.of("apply", "-f", f),
                    List.of("graph", "-f", f), List.of("state", "list", "-f", f),
                    List.of("plan", "-f", f, "-p", "greeting=Hi"),
                    List.of("apply", "--replace", "dataset.words.encrypt", "-f", f));
            // A plain environment: no GitHub Actions mode, no colours.
            Map<String, String> env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            for (List<String> command : commands) {
                Main.run(command.toArray(String[]::new), env, sink, sink);
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
