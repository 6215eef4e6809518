package dev.teeflow.actions.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

class ResultDigestTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFileOutputIsItsSha256(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("computed.json"), "{\"deterministic-output-path\":\"/iexec_out/result.txt\"}");
        Files.writeString(dir.resolve("result.txt"), "hello");
        ResultDigest d = ResultDigest.of(dir);
        assertThat(d.digest()).isEqualTo(Numeric.toHexString(Hash.sha256(utf8("hello"))));
        assertThat(d.of()).isEqualTo("result.txt");
    }

    @Test
    void aFolderIsKeccakOverTheSha256OfItsNonEmptyDirectFilesSortedByName(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("computed.json"), "{\"deterministic-output-path\":\"/iexec_out/\"}");
        Files.writeString(dir.resolve("b.txt"), "bee");
        Files.writeString(dir.resolve("a.txt"), "ay");
        Files.writeString(dir.resolve("empty.txt"), "");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/ignored.txt"), "not a direct child");
        ByteArrayOutputStream concat = new ByteArrayOutputStream();
        concat.writeBytes(Hash.sha256(utf8("ay")));
        concat.writeBytes(Hash.sha256(utf8("bee")));
        concat.writeBytes(Hash.sha256(Files.readAllBytes(dir.resolve("computed.json"))));
        assertThat(ResultDigest.of(dir).digest()).isEqualTo(Numeric.toHexString(Hash.sha3(concat.toByteArray())));
    }

    @Test
    void callbackDataIsHashedWithKeccak(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("computed.json"), "{\"callback-data\":\"0x1234\",\"deterministic-output-path\":\"/iexec_out/x\"}");
        assertThat(ResultDigest.of(dir).digest()).isEqualTo(Numeric.toHexString(Hash.sha3(new byte[] {0x12, 0x34})));
    }

    @Test
    void aResultThatDoesNotSayWhatWasHashedCannotBeVerified(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ResultDigest.of(dir)).hasMessageContaining("no computed.json");
        Files.writeString(dir.resolve("computed.json"), "{\"deterministic-output-path\":\"/etc/passwd\"}");
        assertThatThrownBy(() -> ResultDigest.of(dir)).hasMessageContaining("is not inside /iexec_out");
    }
}
