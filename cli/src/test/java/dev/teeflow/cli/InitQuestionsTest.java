package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.cli.init.InitQuestions;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The terminal questions of {@code teeflow init}: defaults, numbers, names, and asking again. */
class InitQuestionsTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private InitQuestions answering(String lines) {
        return new InitQuestions(new BufferedReader(new StringReader(lines)), new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @Test
    void emptyAnswersTakeTheDefaultsAndChoicesTakeNamesOrNumbers() throws IOException {
        InitQuestions q = answering("\n2\nscone\n\nn\nfoo\nyes\n");
        assertThat(q.text("Project name", "demo", n -> null)).isEqualTo("demo");
        assertThat(q.choice("Language", List.of("python", "javascript"), "python")).isEqualTo("javascript");
        assertThat(q.choice("TEE", List.of("tdx", "scone"), "tdx")).isEqualTo("scone");
        assertThat(q.choice("Target", List.of("devnet", "bellecour"), "devnet")).isEqualTo("devnet");
        assertThat(q.yesNo("Dataset?", true)).isFalse();
        assertThat(q.yesNo("Again?", false)).isTrue();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("please answer y or n")
                .contains("Language (1) python, 2) javascript) [python]: ");
    }

    @Test
    void aWrongAnswerIsAskedAgainAndTheEndOfInputStops() {
        InitQuestions q = answering("Bad Name\nAlso bad\n");
        assertThatThrownBy(() -> q.text("Project name", "demo", n -> n.contains(" ") ? "no spaces" : null))
                .hasMessageContaining("use --yes");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("  no spaces");
    }
}
