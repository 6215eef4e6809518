package dev.teeflow.protocol.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official iExec CLI ({@code npm i iexec}, installed by scripts/install-iexec-cli.sh) encrypts a
 * dataset offline; teeflow must read its key and ciphertext byte for byte.
 */
class IexecCliInteropTest {
    @TempDir
    Path project;

    @Test
    void teeflowDecryptsWhatTheIexecCliEncryptedAndAgreesOnTheChecksum() throws Exception {
        Path iexec = IexecCli.binary();
        Files.createDirectories(project.resolve("datasets/original"));
        Files.createDirectories(project.resolve("datasets/encrypted"));
        Files.createDirectories(project.resolve(".secrets/datasets"));
        byte[] original = DatasetEncryptorTest.random(123_457);
        Files.write(project.resolve("datasets/original/emails.xlsx"), original);

        Processes.Result r = Processes.ok(project, List.of(iexec.toString(), "dataset", "encrypt", "--raw", "--force"));
        JsonNode json = new ObjectMapper().readTree(r.stdout());
        assertThat(json.path("ok").asBoolean()).as(r.stdout()).isTrue();
        String cliChecksum = json.path("encryptedFiles").get(0).path("checksum").asText();

        Path enc = project.resolve("datasets/encrypted/emails.xlsx.enc");
        DatasetKey key = DatasetKey.parse(Files.readString(project.resolve(".secrets/datasets/emails.xlsx.key")));
        DatasetDecryptor.decryptFile(enc, project.resolve("decrypted"), key);
        assertThat(Files.readAllBytes(project.resolve("decrypted"))).isEqualTo(original);

        String sha256sum = Processes.ok(project, List.of("sha256sum", enc.toString())).stdout().split(" ")[0];
        assertThat(DatasetChecksum.of(enc)).isEqualTo("0x" + sha256sum).isEqualTo(cliChecksum);
        assertThat(Files.size(enc)).isEqualTo(16 + 16 * (original.length / 16 + 1));
    }

    /** Where scripts/install-iexec-cli.sh puts the CLI, or $TEEFLOW_IEXEC_CLI. */
    static final class IexecCli {
        static Path binary() {
            String explicit = System.getenv("TEEFLOW_IEXEC_CLI");
            Path bin;
            if (explicit != null && !explicit.isBlank()) {
                bin = Path.of(explicit);
            } else {
                String home = System.getenv("TEEFLOW_IEXEC_CLI_HOME");
                if (home == null || home.isBlank()) {
                    String cache = System.getenv("XDG_CACHE_HOME");
                    Path base = cache == null || cache.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(cache);
                    home = base.resolve("teeflow/iexec-cli").toString();
                }
                bin = Path.of(home, "node_modules/.bin/iexec");
            }
            if (!Files.isExecutable(bin)) {
                throw new AssertionError("the iExec CLI is not installed at " + bin
                        + ": run scripts/install-iexec-cli.sh (or set TEEFLOW_IEXEC_CLI to the iexec binary)");
            }
            return bin;
        }
    }
}
