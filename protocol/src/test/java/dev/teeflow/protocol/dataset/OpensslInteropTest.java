package dev.teeflow.protocol.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** teeflow's files are plain AES-256-CBC with the IV in front: openssl reads and writes them too. */
class OpensslInteropTest {
    @TempDir
    Path dir;

    @Test
    void opensslDecryptsTeeflowsCiphertextAndSha256sumAgreesWithTheChecksum() throws Exception {
        byte[] original = DatasetEncryptorTest.random(300_007);
        Path plain = Files.write(dir.resolve("emails.xlsx"), original);
        DatasetKey key = DatasetKey.generate();
        EncryptionResult r = DatasetEncryptor.encryptFile(plain, dir.resolve("emails.xlsx.enc"), key, null, null);

        byte[] file = Files.readAllBytes(dir.resolve("emails.xlsx.enc"));
        Files.write(dir.resolve("body"), Arrays.copyOfRange(file, 16, file.length));
        Processes.ok(dir, List.of("openssl", "enc", "-d", "-aes-256-cbc",
                "-K", HexFormat.of().formatHex(key.bytes()), "-iv", HexFormat.of().formatHex(r.iv()),
                "-in", "body", "-out", "decrypted"));
        assertThat(Files.readAllBytes(dir.resolve("decrypted"))).isEqualTo(original);

        String sha256sum = Processes.ok(dir, List.of("sha256sum", "emails.xlsx.enc")).stdout().split(" ")[0];
        assertThat(r.checksum()).isEqualTo("0x" + sha256sum);
    }

    @Test
    void teeflowDecryptsWhatOpensslEncrypted() throws Exception {
        byte[] original = DatasetEncryptorTest.random(4_099);
        Files.write(dir.resolve("plain"), original);
        DatasetKey key = DatasetKey.generate();
        byte[] iv = DatasetEncryptor.randomIv();
        Processes.ok(dir, List.of("openssl", "enc", "-aes-256-cbc", "-K", HexFormat.of().formatHex(key.bytes()),
                "-iv", HexFormat.of().formatHex(iv), "-in", "plain", "-out", "body"));
        byte[] body = Files.readAllBytes(dir.resolve("body"));
        byte[] file = new byte[16 + body.length];
        System.arraycopy(iv, 0, file, 0, 16);
        System.arraycopy(body, 0, file, 16, body.length);
        Files.write(dir.resolve("x.enc"), file);

        DatasetDecryptor.decryptFile(dir.resolve("x.enc"), dir.resolve("x"), key);
        assertThat(Files.readAllBytes(dir.resolve("x"))).isEqualTo(original);
    }
}
