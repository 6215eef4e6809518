package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --help} and {@code -h} work on every command, and {@code teeflow help A B} shows B's help. */
class HelpEverywhereTest {
    private static CliRun run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"validate", "plan", "apply", "revoke", "graph", "state", "state list", "state show", "force-unlock",
            "dataset", "dataset decrypt", "devnet", "devnet up", "devnet down", "devnet status", "devnet env"})
    void everyCommandAnswersHelp(String command) {
        for (String flag : new String[] {"--help", "-h"}) {
            CliRun r = run((command + " " + flag).split(" "));
            assertThat(r.exitCode()).as(command + " " + flag + ": " + r.err()).isZero();
            assertThat(r.out()).as(command + " " + flag).contains("Usage: teeflow " + command);
            assertThat(r.err()).doesNotContain("Unknown option");
        }
    }

    /** Every command of the tree, including those added after the list above was written. */
    @org.junit.jupiter.api.Test
    void everyCommandOfTheTreeAnswersHelp() {
        for (var spec : DocumentedCommandLineTest.allCommands(DocumentedCommandLineTest.teeflow())) {
            String path = DocumentedCommandLineTest.path(spec);
            if (path.isEmpty() || path.equals("help")) {
                continue;
            }
            CliRun r = run((path + " --help").split(" "));
            assertThat(r.exitCode()).as(path + " --help: " + r.err()).isZero();
            assertThat(r.out()).as(path + " --help").contains("Usage: teeflow " + path);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"devnet up", "state show", "dataset decrypt"})
    void helpOfANestedCommandIsThatCommandsHelp(String command) {
        CliRun r = run(("help " + command).split(" "));
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: teeflow " + command);
    }
}
