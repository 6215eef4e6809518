package dev.teeflow.protocol.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class DatasetKeyTest {
    @Test
    void parsesTheBase64OfThirtyTwoBytesAndIgnoresATrailingNewline() {
        DatasetKey k = DatasetKey.generate();
        assertThat(DatasetKey.parse(k.toBase64() + "\n").sameAs(k)).isTrue();
        assertThat(k.toBase64()).hasSize(44);
    }

    @Test
    void rejectsAnythingElseWithoutEchoingIt() {
        String notBase64 = "this-is-my-secret-password!!";
        String shortKey = Base64.getEncoder().encodeToString("sixteen byte key".getBytes());
        assertThatThrownBy(() -> DatasetKey.parse(notBase64)).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("not valid base64").hasMessageNotContaining("secret-password");
        assertThatThrownBy(() -> DatasetKey.parse(shortKey)).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("decodes to 16 bytes").hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> DatasetKey.parse("  ")).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void neverShowsItself() {
        DatasetKey k = DatasetKey.generate();
        assertThat(k.toString()).doesNotContain(k.toBase64()).isEqualTo("DatasetKey(***)");
    }
}
