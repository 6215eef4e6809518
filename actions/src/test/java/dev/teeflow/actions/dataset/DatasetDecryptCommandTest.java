package dev.teeflow.actions.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.protocol.dataset.DatasetEncryptor;
import dev.teeflow.protocol.dataset.DatasetKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetDecryptCommandTest {
    @TempDir
    Path dir;

    @Test
    void decryptsWithAKeyFromTheEnvironmentOrAFile() throws Exception {
        DatasetKey key = DatasetKey.generate();
        Files.writeString(dir.resolve("emails.xlsx"), "name,email\n");
        DatasetEncryptor.encryptFile(dir.resolve("emails.xlsx"), dir.resolve("emails.xlsx.enc"), key, null, null);
        Files.writeString(dir.resolve("k.key"), key.toBase64() + "\n");

        DatasetDecryptCommand cmd = new DatasetDecryptCommand(Map.of("DATASET_KEY", key.toBase64()), dir);
        Path out = cmd.decrypt(Path.of("emails.xlsx.enc"), "env:DATASET_KEY", Path.of("check.xlsx"));
        assertThat(Files.readString(out)).isEqualTo("name,email\n");
        Files.delete(dir.resolve("emails.xlsx"));
        Path def = cmd.decrypt(Path.of("emails.xlsx.enc"), "file:k.key", null);
        assertThat(def).isEqualTo(dir.resolve("emails.xlsx"));
        assertThat(Files.readString(def)).isEqualTo("name,email\n");
    }

    @Test
    void explainsBadKeysAndMissingFilesWithoutShowingKeys() throws Exception {
        DatasetDecryptCommand cmd = new DatasetDecryptCommand(Map.of("BAD", "not-a-key-at-all"), dir);
        assertThatThrownBy(() -> cmd.decrypt(Path.of("x.enc"), "c2VjcmV0", null)).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("env:NAME or file:PATH").hasMessageNotContaining("c2VjcmV0");
        assertThatThrownBy(() -> cmd.decrypt(Path.of("x.enc"), "env:BAD", null)).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("env:BAD").hasMessageNotContaining("not-a-key-at-all");
        assertThatThrownBy(() -> cmd.decrypt(Path.of("x.enc"), "env:UNSET", null)).hasMessageContaining("UNSET is not set");
        DatasetDecryptCommand ok = new DatasetDecryptCommand(Map.of("K", DatasetKey.generate().toBase64()), dir);
        assertThatThrownBy(() -> ok.decrypt(Path.of("x.enc"), "env:K", null)).hasMessageContaining("x.enc does not exist");
    }
}
