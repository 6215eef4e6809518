package dev.teeflow.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.TeeflowException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state directory encrypted at rest: nothing readable on disk, a wrong passphrase or a changed file is an error. */
class StateEncryptionTest {
    static final String CANARY = "canary-7f3a9c-do-not-leak";
    static final int FAST = 1_000; // iterations for tests; real directories get StateCipher.DEFAULT_ITERATIONS

    @TempDir
    Path dir;

    private StateStore store(String passphrase) {
        return new StateStore(dir, new StateEncryption(passphrase.toCharArray(), FAST));
    }

    private static StepRecord record(String address, String value) {
        return new StepRecord(StepRecord.SCHEMA, 1, address, "t", 1, "key-" + address, Map.of("in:x", "d"),
                Map.of("value", value), Map.of(), "now");
    }

    private void writeAllKinds(StateStore store) {
        store.write(record("a.b", CANARY));
        store.writeIntent(new Intent("a.b", "key-a.b", "now", Map.of("tx", CANARY)));
        store.writeSecret("a.b", "key", CANARY.getBytes(StandardCharsets.UTF_8));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void recordsIntentsAndSecretsAreNotReadableOnDiskAndReadBackWhole() throws IOException {
        StateStore store = store("correct horse");
        writeAllKinds(store);

        byte[] canary = CANARY.getBytes(StandardCharsets.UTF_8);
        List<String> forms = List.of(CANARY, Base64.getEncoder().encodeToString(canary), HexFormat.of().formatHex(canary));
        for (Path f : files()) {
            String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertThat(forms).as(f.toString()).noneMatch(content::contains);
        }
        StateStore again = store("correct horse");
        assertThat(again.read("a.b").record()).isEqualTo(record("a.b", CANARY));
        assertThat(again.readIntent("a.b").orElseThrow().values()).containsEntry("tx", CANARY);
        assertThat(new String(again.readSecret("a.b", "key").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo(CANARY);
        assertThat(Files.readString(dir.resolve("encryption.json"))).contains("PBKDF2-HMAC-SHA256").contains("AES-256-GCM");
    }

    @Test
    void aWrongPassphraseIsOneClearErrorBeforeAnythingIsRead() {
        writeAllKinds(store("correct horse"));
        assertThatThrownBy(() -> store("battery staple")).isInstanceOf(TeeflowException.class)
                .hasMessageStartingWith("wrong state passphrase").hasMessageContaining(dir.toString())
                .hasMessageNotContaining("battery").hasMessageNotContaining("horse");
    }

    @Test
    void aChangedByteIsDetected() throws IOException {
        StateStore store = store("pw");
        store.write(record("a.b", "v"));
        Path file = store.recordFile("a.b");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 20] ^= 1;
        Files.write(file, bytes);
        assertThatThrownBy(() -> store("pw").read("a.b")).isInstanceOf(TeeflowException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("failed its integrity check");
    }

    @Test
    void aRecordMovedOntoAnotherStepIsDetected() throws IOException {
        StateStore store = store("pw");
        store.write(record("a.b", "v"));
        store.write(record("c.d", "w"));
        Files.copy(store.recordFile("a.b"), store.recordFile("c.d"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> store("pw").read("c.d")).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("failed its integrity check");
    }

    @Test
    void aPlainFileSlippedIntoAnEncryptedDirectoryIsRefused() throws IOException {
        StateStore store = store("pw");
        store.write(record("a.b", "v"));
        new StateStore(dir.resolve("elsewhere")).write(record("a.b", "forged"));
        Files.copy(dir.resolve("elsewhere/state/a.b.json"), store.recordFile("a.b"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> store("pw").read("a.b")).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("is not encrypted although the state directory is");
    }

    @Test
    void anEncryptedDirectoryReadWithoutThePassphraseSaysSo() {
        writeAllKinds(store("pw"));
        StateStore plain = new StateStore(dir);
        assertThatThrownBy(() -> plain.read("a.b")).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("is encrypted").hasMessageContaining("--state-passphrase");
        assertThatThrownBy(() -> plain.write(record("x.y", "v"))).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("is encrypted");
        assertThatThrownBy(() -> plain.readSecret("a.b", "key")).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("is encrypted");
    }

    @Test
    void turningEncryptionOnEncryptsWhatIsAlreadyThere() throws IOException {
        writeAllKinds(new StateStore(dir));
        assertThat(Files.readString(new StateStore(dir).recordFile("a.b"))).contains(CANARY);

        StateStore store = store("pw");
        for (Path f : files()) {
            assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(CANARY);
        }
        assertThat(store.read("a.b").record()).isEqualTo(record("a.b", CANARY));
        assertThat(Files.readString(dir.resolve("encryption.json"))).doesNotContain("migrating");
    }

    @Test
    void theDefaultKeyDerivationIsSlowOnPurpose() {
        assertThat(StateCipher.DEFAULT_ITERATIONS).isGreaterThanOrEqualTo(600_000);
    }
}
