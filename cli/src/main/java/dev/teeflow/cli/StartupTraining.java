package dev.teeflow.cli;

import dev.teeflow.state.remote.s3.LoopbackS3;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
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
 *
 * <p>With a state backend's name as argument ({@code git}, {@code s3} or {@code postgres}), the same
 * pipeline is then planned and applied again over that backend, against a repository or store inside
 * this run (a bare repository in the temporary folder; {@link LoopbackS3}; for postgres, an endpoint that
 * refuses the connection during its SCRAM exchange, {@link TrainingPostgresEndpoint}): bin/teeflow keeps
 * that cache apart and uses it for commands whose state is there, so that the library the backend loads
 * (JGit, the AWS SDK, the JDBC driver) starts loaded too without slowing the commands of a local state.
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

    /** The key of the training's remote states: they hold nothing but this training's records. */
    private static final String STATE_KEY = java.util.Base64.getEncoder().encodeToString(new byte[32]);

    /** The state backends that have a start-up cache of their own. */
    static final List<String> BACKENDS = List.of("git", "s3", "postgres");

    public static void main(String[] args) throws Exception {
        String backend = args.length == 0 ? "local" : args[0];
        if (!backend.equals("local") && !BACKENDS.contains(backend)) {
            throw new IllegalArgumentException("no start-up training for the state backend '" + backend + "'");
        }
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
            Map<String, String> env = plainEnvironment();
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            for (List<String> command : commands) {
                Main.run(command.toArray(String[]::new), env, sink, sink);
            }
            switch (backend) {
                case "git" -> overRemoteState(dir, gitState(dir));
                case "s3" -> {
                    try (LoopbackS3 store = new LoopbackS3("training")) {
                        overRemoteState(dir, """
                                state:
                                  backend: s3
                                  endpoint: %s
                                  bucket: training
                                  path-style: true
                                  access-key-id: env:TRAINING_ACCESS_KEY
                                  secret-access-key: env:TRAINING_SECRET_KEY
                                  key: env:TRAINING_STATE_KEY
                                """.formatted(store.endpoint()));
                    }
                }
                case "postgres" -> {
                    try (TrainingPostgresEndpoint endpoint = new TrainingPostgresEndpoint()) {
                        overPostgres(dir, endpoint);
                    }
                }
                default -> {
                    // the local state is trained above
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** A state block for a git remote: a bare repository beside the pipeline, reached through file://. */
    private static String gitState(Path dir) throws Exception {
        Path bare = dir.resolve("state.git");
        org.eclipse.jgit.api.Git.init().setBare(true).setDirectory(bare.toFile()).call().close();
        return """
                state:
                  backend: git
                  remote: %s
                  key: env:TRAINING_STATE_KEY
                """.formatted(bare.toUri());
    }

    /** The pipeline over the remote state {@code stateBlock}: a first apply, a change, and applies with nothing to do. */
    private static void overRemoteState(Path dir, String stateBlock) {
        Path file = dir.resolve("remote.yml");
        try {
            Files.writeString(file, PIPELINE + stateBlock, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = plainEnvironment("TRAINING_STATE_KEY", STATE_KEY,
                "TRAINING_ACCESS_KEY", "training", "TRAINING_SECRET_KEY", "training-secret");
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        String f = file.toString();
        for (List<String> command : List.of(List.of("plan", "-f", f), List.of("apply", "-f", f), List.of("plan", "-f", f),
                List.of("apply", "-f", f, "-p", "greeting=Hi"), List.of("apply", "-f", f, "-p", "greeting=Hi"),
                List.of("state", "list", "-f", f))) {
            // errors to stderr (bin/teeflow keeps them in cli/target/teeflow-aot.log): a cache trained on a
            // failing backend would not hold what it is for
            if (Main.run(command.toArray(String[]::new), env, sink, System.err) != Main.OK) {
                throw new IllegalStateException("training over the remote state failed at: teeflow " + String.join(" ", command));
            }
        }
    }

    /**
     * The pipeline over a postgres state whose server refuses the connection during its SCRAM exchange
     * ({@link TrainingPostgresEndpoint}): each command fails at connecting, as expected, having loaded the
     * driver up to there.
     */
    private static void overPostgres(Path dir, TrainingPostgresEndpoint endpoint) throws IOException {
        Path file = dir.resolve("postgres.yml");
        Files.writeString(file, PIPELINE + """
                state:
                  backend: postgres
                  url: %s
                  user: training
                  password: env:TRAINING_PASSWORD
                  key: env:TRAINING_STATE_KEY
                """.formatted(endpoint.url()), StandardCharsets.UTF_8);
        Map<String, String> env = plainEnvironment("TRAINING_STATE_KEY", STATE_KEY,
                "TRAINING_PASSWORD", "a-password-for-the-training");
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        for (String command : List.of("plan", "apply")) {
            int code = Main.run(new String[] {command, "-f", file.toString()}, env, sink, new PrintStream(errors, true, StandardCharsets.UTF_8));
            String said = errors.toString(StandardCharsets.UTF_8);
            if (code == Main.OK || !said.contains("not a database")) {
                // it must have got as far as the refusal, or the cache would not hold what it is for
                throw new IllegalStateException("training over postgres did not reach the connection's refusal: " + said);
            }
            errors.reset();
        }
    }

    /** PATH and {@code nameValues}, nothing else: no GitHub Actions mode, no colours. */
    private static Map<String, String> plainEnvironment(String... nameValues) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")));
        for (int i = 0; i < nameValues.length; i += 2) {
            env.put(nameValues[i], nameValues[i + 1]);
        }
        return Map.copyOf(env);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
