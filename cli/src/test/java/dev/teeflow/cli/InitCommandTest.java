package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.cli.init.Templates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code teeflow init}: every scaffold validates and plans; nothing is overwritten without --force. */
class InitCommandTest {
    @TempDir
    Path dir;

    /** Runs {@code teeflow ARGS} with no terminal (as in CI), TEEFLOW_HOME inside the test's folder. */
    private CliRun teeflow(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TEEFLOW_HOME", dir.resolve("home").toString());
        int code = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> scaffolds() {
        List<Arguments> all = new ArrayList<>();
        for (String template : Templates.names()) {
            for (String tee : List.of("tdx", "scone")) {
                for (String target : List.of("devnet", "arbitrum-sepolia")) {
                    all.add(Arguments.of(template, tee, target));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("scaffolds")
    void everyScaffoldValidatesAndPlans(String template, String tee, String target) throws Exception {
        Path project = dir.resolve("My Project");
        CliRun init = teeflow("init", project.toString(), "--template", template, "--tee", tee, "--target", target, "--no-color");
        assertThat(init.exitCode()).as(init.out() + init.err()).isZero();
        assertThat(init.out()).contains("created my-project in " + project)
                .contains(target.equals("devnet") ? "teeflow devnet up" : "teeflow apply -p registry=");

        boolean dataset = template.endsWith("-dataset");
        boolean python = template.startsWith("python");
        assertThat(project.resolve(python ? "src/app.py" : "src/app.js")).exists();
        assertThat(Files.exists(project.resolve("data/input.txt"))).isEqualTo(dataset);
        assertThat(Files.readString(project.resolve("Dockerfile")))
                .contains(python ? "FROM teeflow/python3:bookworm" : "FROM teeflow/node:bookworm");
        assertThat(Files.readString(project.resolve(".dockerignore")).lines())
                .contains(".teeflow", "out", ".secrets", "data", "teeflow.yml");
        assertThat(Files.readString(project.resolve(".gitignore")).lines()).contains(".teeflow/", "out/", ".secrets/");
        String yml = Files.readString(project.resolve("teeflow.yml"));
        assertThat(yml).contains("framework: " + tee).contains("target: " + target).doesNotContainPattern("(?<!\\$)\\{\\{").doesNotContain("@@");
        assertThat(Files.readString(project.resolve("README.md"))).contains(target.equals("devnet") ? "## Run it on the local devnet" : "## Run it on " + target)
                .doesNotContain("@@").doesNotContainPattern("(?<!\\$)\\{\\{");
        assertThat(Files.readString(project.resolve("README.md")).contains("GITHUB_TOKEN")).isEqualTo(dataset && !target.equals("devnet"));

        String file = project.resolve("teeflow.yml").toString();
        String[] registry = target.equals("devnet") ? new String[0] : new String[] {"-p", "registry=registry.example.org/me"};
        CliRun validate = teeflow(Stream.concat(Stream.of("validate", "-f", file, "--no-color"), Stream.of(registry)).toArray(String[]::new));
        assertThat(validate.exitCode()).as(validate.out() + validate.err()).isZero();
        assertThat(validate.out()).contains("valid: my-project");

        CliRun planned = teeflow(Stream.concat(Stream.of("plan", "-f", file, "--no-color"), Stream.of(registry)).toArray(String[]::new));
        assertThat(planned.exitCode()).as(planned.out() + planned.err()).isZero();
        assertThat(planned.out()).contains("app.my-project.build").contains("run.main.deal")
                .contains(dataset ? "dataset.input.encrypt" : "app.my-project.deploy");
        if (!dataset) {
            assertThat(planned.out()).doesNotContain("dataset.");
        }
    }

    @Test
    void refusesToOverwriteAndListsTheFilesUnlessForced() throws Exception {
        Path project = dir.resolve("p");
        Files.createDirectories(project.resolve("src"));
        Files.writeString(project.resolve("teeflow.yml"), "mine");
        Files.writeString(project.resolve("src/app.py"), "mine too");

        CliRun refused = teeflow("init", project.toString(), "--yes");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("already has teeflow.yml, src/app.py; nothing was written").contains("--force");
        assertThat(Files.readString(project.resolve("teeflow.yml"))).isEqualTo("mine");
        assertThat(project.resolve("Dockerfile")).doesNotExist();

        CliRun forced = teeflow("init", project.toString(), "--yes", "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(Files.readString(project.resolve("teeflow.yml"))).startsWith("apiVersion: teeflow/v1");
        assertThat(project.resolve("Dockerfile")).exists();
    }

    @Test
    void optionsOverrideTheTemplateAndBadChoicesAreUsageErrors() throws Exception {
        Path project = dir.resolve("q");
        CliRun init = teeflow("init", project.toString(), "--name", "word-count", "--language", "javascript",
                "--no-dataset", "--input", "secret");
        assertThat(init.exitCode()).as(init.err()).isZero();
        String yml = Files.readString(project.resolve("teeflow.yml"));
        assertThat(yml).contains("name: word-count").contains("app_secret: { value: env:APP_SECRET")
                .doesNotContain("dataset:").doesNotContain("args:");
        assertThat(Files.readString(project.resolve("README.md"))).contains("APP_SECRET=my-secret teeflow apply");

        CliRun badTemplate = teeflow("init", dir.resolve("r").toString(), "--template", "rust");
        assertThat(badTemplate.exitCode()).isEqualTo(2);
        assertThat(badTemplate.err()).contains("unknown template 'rust'; one of: python-dataset, python, javascript-dataset, javascript");
        CliRun badName = teeflow("init", dir.resolve("r").toString(), "--name", "Bad Name");
        assertThat(badName.exitCode()).isEqualTo(2);
        assertThat(badName.err()).contains("the project name 'Bad Name' must be lowercase");
        assertThat(dir.resolve("r")).doesNotExist();
    }

    @Test
    void onATerminalItAsksWhatTheOptionsLeftOpen() throws Exception {
        Path project = dir.resolve("Asked");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CliContext ctx = new CliContext(Map.of(), new dev.teeflow.engine.secret.Redactor(), new Terminal(print, print, true, false));
        java.io.InputStream stdin = System.in;
        // name (default), language 2, TEE (given), dataset no, input args; target (given)
        System.setIn(new java.io.ByteArrayInputStream("\n2\nn\nargs\n".getBytes(StandardCharsets.UTF_8)));
        int code;
        try {
            code = new picocli.CommandLine(new InitCommand(ctx)).execute(project.toString(), "--tee", "scone", "--target", "devnet");
        } finally {
            System.setIn(stdin);
        }
        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Project name [asked]: ")
                .contains("Language (1) python, 2) javascript) [python]: ").doesNotContain("TEE framework").doesNotContain("Target");
        String yml = Files.readString(project.resolve("teeflow.yml"));
        assertThat(yml).contains("name: asked").contains("framework: scone").contains("entrypoint: node /app/app.js")
                .contains("args: [hello, confidential, world]").doesNotContain("dataset:").doesNotContain("secrets:");
        assertThat(project.resolve("src/app.js")).exists();
    }

    @Test
    void helpDescribesTheCommand() {
        CliRun help = teeflow("help", "init");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--template").contains("--yes").contains("--force").contains("DIR");
    }
}
