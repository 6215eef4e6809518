package dev.teeflow.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.state.MemoryStateBackend;
import dev.teeflow.engine.state.StateEncryption;
import dev.teeflow.engine.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repair on a remote (encrypted) state: through the backend's keys, never through local files. */
class StateRepairTest {
    @TempDir
    Path cache;

    private final MemoryStateBackend remote = new MemoryStateBackend();
    private final String key = randomKey();

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** A store as one command opens it (a remote store reads the state once, at its first read). */
    private StateStore store() {
        return new StateStore(cache, remote, StateEncryption.ofRawKey(key));
    }

    @Test
    void aDamagedKeptSecretOfARemoteStateIsReportedAndSetAsideWithItsFingerprint() {
        StateStore store = store();
        StepSecrets secrets = new StepSecrets(store, store::projectKey);
        secrets.write("dataset.emails.encrypt", "key", "a dataset key of 32 bytes, say..".getBytes(StandardCharsets.UTF_8));
        StateRepair repair = new StateRepair(store);
        assertThat(repair.report("dataset.emails.encrypt")).contains("kept secret 'key': intact");
        assertThatThrownBy(() -> repair.forgetSecret("dataset.emails.encrypt", "key")).hasMessageContaining("intact");

        store.writeSecret("dataset.emails.encrypt", "key", "short".getBytes(StandardCharsets.UTF_8));
        assertThat(repair.report("dataset.emails.encrypt")).contains("kept secret 'key': DAMAGED");
        assertThat(repair.isDamaged("dataset.emails.encrypt")).isTrue();

        String aside = repair.forgetSecret("dataset.emails.encrypt", "key");

        assertThat(aside).startsWith("memory://test secrets/dataset.emails.encrypt/key.damaged-");
        assertThat(remote.rawBlobs().keySet()).filteredOn(k -> k.startsWith("secrets/"))
                .hasSize(2).allMatch(k -> k.contains(".damaged-"));
        assertThat(repair.report("dataset.emails.encrypt")).doesNotContain("kept secret 'key': DAMAGED");
        assertThat(repair.isDamaged("dataset.emails.encrypt")).isFalse();
    }

    @Test
    void aRecordThatFailsItsIntegrityCheckIsDamageAndIsSetAsideAsStored() {
        store().projectKey();
        byte[] tampered = "{\"not\": \"sealed\"}".getBytes(StandardCharsets.UTF_8);
        remote.put(StateStore.recordKey("run.check.deal"), tampered, MemoryStateBackend.ANY);
        StateRepair repair = new StateRepair(store());
        assertThat(repair.report("run.check.deal")).first().asString().startsWith("record: DAMAGED").contains("not encrypted");

        assertThat(repair.forgetRecord("run.check.deal")).contains("state/run.check.deal.json.damaged-");
        assertThat(remote.rawBlobs()).doesNotContainKey(StateStore.recordKey("run.check.deal"));
        assertThat(remote.rawBlobs().entrySet()).filteredOn(e -> e.getKey().startsWith("state/"))
                .singleElement().satisfies(e -> assertThat(e.getValue()).isEqualTo(tampered));
        assertThatThrownBy(() -> repair.forgetRecord("run.check.deal")).hasMessageContaining("no record");
    }
}
