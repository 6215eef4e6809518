package dev.teeflow.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.TeeflowException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A remote backend only ever sees encrypted blobs, and refuses to be used without encryption. */
class RemoteStateEncryptionTest {
    static final String CANARY = "canary-remote-51c0-do-not-leak";

    @TempDir
    Path cache;

    private final MemoryStateBackend remote = new MemoryStateBackend();

    private StateStore store(String passphrase) {
        return new StateStore(cache, remote, new StateEncryption(passphrase.toCharArray(), 1000));
    }

    private static StepRecord record(String address, String value) {
        return new StepRecord(StepRecord.SCHEMA, 1, address, "t", 1, "key-" + address, Map.of("in:x", "d"),
                Map.of("value", value), Map.of(), "now");
    }

    private static Map<String, String> snapshot(Map<String, byte[]> blobs) {
        Map<String, String> out = new TreeMap<>();
        blobs.forEach((k, v) -> out.put(k, HexFormat.of().formatHex(v)));
        return out;
    }

    @Test
    void aRemoteBackendWithoutEncryptionIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> new StateStore(cache, remote, null)).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("needs client-side encryption").hasMessageContaining("nothing was written");
        assertThat(remote.rawBlobs()).isEmpty();
    }

    @Test
    void recordsIntentsSecretsAndTheProjectKeyTravelEncryptedAndReadBackWhole() {
        StateStore a = store("correct horse");
        a.write(record("a.b", CANARY));
        a.writeIntent(new Intent("a.b", "key-a.b", "now", Map.of("tx", CANARY)));
        a.writeSecret("a.b", "key", CANARY.getBytes(StandardCharsets.UTF_8));
        byte[] projectKey = a.projectKey();

        byte[] canary = CANARY.getBytes(StandardCharsets.UTF_8);
        List<String> forms = List.of(CANARY, Base64.getEncoder().encodeToString(canary), HexFormat.of().formatHex(canary));
        List<String> keyForms = List.of(Base64.getEncoder().encodeToString(projectKey), HexFormat.of().formatHex(projectKey));
        remote.rawBlobs().forEach((k, v) -> {
            String content = new String(v, StandardCharsets.ISO_8859_1);
            String hex = HexFormat.of().formatHex(v);
            assertThat(forms).as(k).noneMatch(content::contains);
            assertThat(keyForms).as(k).noneMatch(content::contains);
            assertThat(hex).as(k).doesNotContain(HexFormat.of().formatHex(projectKey));
        });
        assertThat(remote.rawBlobs()).containsKeys("state/a.b.json", "intents/a.b.json", "secrets/a.b/key",
                "project.key", "encryption.json");

        StateStore b = new StateStore(cache.resolve("other-machine"), remote, new StateEncryption("correct horse".toCharArray(), 1000));
        assertThat(b.read("a.b").record()).isEqualTo(record("a.b", CANARY));
        assertThat(b.readIntent("a.b").orElseThrow().values()).containsEntry("tx", CANARY);
        assertThat(b.readSecret("a.b", "key")).hasValueSatisfying(v -> assertThat(v).isEqualTo(canary));
        assertThat(b.projectKey()).isEqualTo(projectKey);
        assertThat(b.addresses()).containsExactly("a.b");
    }

    @Test
    void aWrongPassphraseIsOneClearErrorAndChangesNothing() {
        StateStore a = store("correct horse");
        a.write(record("a.b", "v"));
        a.projectKey();
        Map<String, String> before = snapshot(remote.rawBlobs());

        assertThatThrownBy(() -> store("battery staple")).isInstanceOf(TeeflowException.class)
                .hasMessageStartingWith("wrong state passphrase").hasMessageContaining("memory://test")
                .hasMessageContaining("nothing was read or written")
                .hasMessageNotContaining("battery").hasMessageNotContaining("horse");
        assertThat(snapshot(remote.rawBlobs())).isEqualTo(before);
    }

    @Test
    void aRawKeyOpensWhatItSealedAndIsNotTakenForAPassphrase() {
        String rawKey = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'B');
        StateStore a = new StateStore(cache, remote, StateEncryption.ofRawKey(rawKey));
        a.write(record("a.b", CANARY));
        assertThat(new StateStore(cache, remote, StateEncryption.ofRawKey(rawKey)).read("a.b").record())
                .isEqualTo(record("a.b", CANARY));
        assertThatThrownBy(() -> store("a passphrase")).hasMessageContaining("encrypted under a raw key");
        assertThatThrownBy(() -> StateEncryption.ofRawKey("too short")).hasMessageContaining("32 random bytes");
    }

    @Test
    void aBackendThatCannotBeWrittenStopsTheWriteWithItsError() {
        StateStore a = store("pw");
        remote.unreachable = "connection refused by the store";
        assertThatThrownBy(() -> a.writeIntent(new Intent("a.b", "k", "now", Map.of("tx", "0x1"))))
                .hasMessageContaining("cannot record the intent of a.b").hasMessageContaining("connection refused by the store");
    }

    @Test
    void aRunWhoseLeaseWasTakenOverWritesNothingMore() throws InterruptedException {
        StateStore a = store("pw");
        try (StateLease lease = StateLease.acquire(remote, "apply", Map.of(), Duration.ZERO, Duration.ofMillis(300))) {
            a.refuseWritesWhen(lease::lost);
            remote.forceUnlock(lease.holder().id());
            StateLease.acquire(remote, "apply", Map.of(), Duration.ZERO, Duration.ofMinutes(1));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (lease.lost() == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThatThrownBy(() -> a.writeIntent(new Intent("a.b", "k", "now", Map.of("tx", "0x1"))))
                    .hasMessageContaining("no longer this run's").hasMessageContaining("stopping before");
            assertThat(remote.rawBlobs()).doesNotContainKey("intents/a.b.json");
        }
    }

    @Test
    void aWaitingRunNamesTheHolderAndItsLockId() {
        try (StateLease held = StateLease.acquire(remote, "apply", Map.of("BUILD_URL", "https://jenkins/job/7/"),
                Duration.ZERO, Duration.ofMinutes(1))) {
            assertThatThrownBy(() -> StateLease.acquire(remote, "apply", Map.of(), Duration.ofMillis(200), Duration.ofMinutes(1)))
                    .isInstanceOf(LockedException.class)
                    .hasMessageContaining("locked by 'apply'").hasMessageContaining("https://jenkins/job/7/")
                    .hasMessageContaining("force-unlock " + held.holder().id());
        }
    }
}
