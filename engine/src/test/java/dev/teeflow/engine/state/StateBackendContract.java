package dev.teeflow.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateBackend} must do, as tests: a backend's test class extends this and says how to
 * make a fresh, empty backend (and a second client of the same store, as another machine would see it).
 */
public abstract class StateBackendContract {
    protected StateBackend backend;

    /** A new, empty store. */
    protected abstract StateBackend newBackend() throws Exception;

    /** A second client of the same store, as another machine would open it. */
    protected abstract StateBackend sameStoreAgain() throws Exception;

    /** Whether a holder's lease ends by itself (false for the local directory's kernel lock). */
    protected boolean leasesExpire() {
        return true;
    }

    @BeforeEach
    void open() throws Exception {
        backend = newBackend();
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aBlobIsReadBackWholeByAnotherClientAndAbsentKeysAreEmpty() throws Exception {
        assertThat(backend.get("state/a.b.json")).isEmpty();
        backend.put("state/a.b.json", bytes("one"), StateBackend.ANY);
        try (StateBackend other = sameStoreAgain()) {
            assertThat(other.get("state/a.b.json")).hasValueSatisfying(b -> assertThat(b.bytes()).isEqualTo(bytes("one")));
        }
    }

    @Test
    void compareAndSwapWritesOnlyOverTheExpectedVersion() {
        String v1 = backend.put("project.key", bytes("first"), StateBackend.ABSENT);
        assertThatThrownBy(() -> backend.put("project.key", bytes("second"), StateBackend.ABSENT))
                .isInstanceOf(ConflictException.class);
        String v2 = backend.put("project.key", bytes("second"), v1);
        assertThat(v2).isNotEqualTo(v1);
        assertThatThrownBy(() -> backend.put("project.key", bytes("third"), v1)).isInstanceOf(ConflictException.class);
        assertThat(backend.get("project.key").orElseThrow().bytes()).isEqualTo(bytes("second"));
        assertThat(backend.get("project.key").orElseThrow().version()).isEqualTo(v2);
    }

    @Test
    void listNamesKeysUnderAPrefixSortedAndDeleteRemoves() {
        backend.put("state/b.json", bytes("b"), StateBackend.ANY);
        backend.put("state/a.json", bytes("a"), StateBackend.ANY);
        backend.put("secrets/a/key", bytes("k"), StateBackend.ANY);
        assertThat(backend.list("state/")).containsExactly("state/a.json", "state/b.json");
        assertThat(backend.list("secrets/")).containsExactly("secrets/a/key");
        backend.delete("state/a.json");
        backend.delete("state/never-there.json");
        assertThat(backend.list("state/")).containsExactly("state/b.json");
        assertThat(backend.get("state/a.json")).isEmpty();
    }

    @Test
    void historyHoldsTheCurrentVersionFirst() {
        backend.put("state/a.json", bytes("old"), StateBackend.ANY);
        backend.put("state/a.json", bytes("new"), StateBackend.ANY);
        assertThat(backend.history("state/a.json")).isNotEmpty();
        assertThat(backend.history("state/a.json").get(0).bytes()).isEqualTo(bytes("new"));
    }

    @Test
    void theLockIsHeldByOneAndNamesItsHolder() throws Exception {
        LockInfo a = LockInfo.ofThisProcess("apply", Map.of("BUILD_URL", "https://ci.example/job/1/"));
        LockInfo b = LockInfo.ofThisProcess("apply", Map.of());
        assertThat(backend.tryLock(a, Duration.ofMinutes(1)).taken()).isTrue();
        try (StateBackend other = sameStoreAgain()) {
            StateBackend.LockAttempt second = other.tryLock(b, Duration.ofMinutes(1));
            assertThat(second.taken()).isFalse();
            assertThat(second.holder().id()).isEqualTo(a.id());
            assertThat(second.holder().ciRun()).isEqualTo("https://ci.example/job/1/");
            assertThat(backend.renewLock(a, Duration.ofMinutes(1))).isTrue();
            backend.releaseLock(a);
            assertThat(other.tryLock(b, Duration.ofMinutes(1)).taken()).isTrue();
            other.releaseLock(b);
        }
    }

    @Test
    void aLeaseThatRanOutIsTakenOverAndItsHolderLearnsItLostTheLock() throws Exception {
        if (!leasesExpire()) {
            return;
        }
        LockInfo dead = LockInfo.ofThisProcess("apply", Map.of());
        LockInfo next = LockInfo.ofThisProcess("apply", Map.of());
        assertThat(backend.tryLock(dead, Duration.ofMillis(300)).taken()).isTrue();
        Thread.sleep(1500);
        try (StateBackend other = sameStoreAgain()) {
            assertThat(other.tryLock(next, Duration.ofMinutes(1)).taken()).isTrue();
            assertThat(backend.renewLock(dead, Duration.ofMinutes(1))).isFalse();
            other.releaseLock(next);
        }
    }

    @Test
    void forceUnlockTakesTheLockIdAndLeavesAnotherLockAlone() {
        LockInfo a = LockInfo.ofThisProcess("apply", Map.of());
        assertThat(backend.tryLock(a, Duration.ofMinutes(1)).taken()).isTrue();
        assertThatThrownBy(() -> backend.forceUnlock("not-the-id")).hasMessageContaining(a.id());
        assertThat(backend.forceUnlock(a.id())).hasValueSatisfying(h -> assertThat(h.id()).isEqualTo(a.id()));
        backend.releaseLock(a); // a late release of a forced lock is harmless
        assertThat(backend.tryLock(LockInfo.ofThisProcess("apply", Map.of()), Duration.ofMinutes(1)).taken()).isTrue();
    }
}
