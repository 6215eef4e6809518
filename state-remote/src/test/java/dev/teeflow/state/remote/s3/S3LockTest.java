package dev.teeflow.state.remote.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.state.ConflictException;
import dev.teeflow.engine.state.LockInfo;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.state.remote.LockMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The s3 backend's lease lock and compare-and-swap, on a store that honours conditional writes (a test double). */
class S3LockTest {
    private static final Duration LEASE = Duration.ofSeconds(60);
    private LoopbackS3 s3;
    private final List<String> notices = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        s3 = new LoopbackS3("state");
    }

    @AfterEach
    void stop() {
        s3.close();
    }

    private S3StateBackend backend(LockMode mode) {
        return new S3StateBackend(S3TestSettings.of(s3.endpoint(), "state", "team/pipeline/", mode), notices::add);
    }

    private static LockInfo runner(String name) {
        return new LockInfo(name, "host-" + name, 42, "apply", "2026-01-01T00:00:00Z", "id-" + name, null, null);
    }

    @Test
    void a_second_run_is_refused_while_the_first_holds_the_lock_and_takes_it_once_released() {
        try (S3StateBackend a = backend(LockMode.STORE); S3StateBackend b = backend(LockMode.STORE)) {
            assertThat(a.tryLock(runner("a"), LEASE).taken()).isTrue();

            StateBackend.LockAttempt second = b.tryLock(runner("b"), LEASE);
            assertThat(second.taken()).isFalse();
            assertThat(second.holder().id()).isEqualTo("id-a");
            assertThat(b.lockHolder()).get().extracting(LockInfo::owner).isEqualTo("a");

            assertThat(a.renewLock(runner("a"), LEASE)).isTrue();
            a.releaseLock(runner("a"));
            assertThat(b.lockHolder()).isEmpty();
            assertThat(b.tryLock(runner("b"), LEASE).taken()).isTrue();
            assertThat(a.lockHolder()).get().extracting(LockInfo::id).isEqualTo("id-b");
        }
    }

    @Test
    void an_expired_lease_is_taken_over_and_its_old_holder_learns_it_lost_the_lock() {
        try (S3StateBackend a = backend(LockMode.STORE); S3StateBackend b = backend(LockMode.STORE)) {
            s3.writeClockOffsetMillis.set(-LEASE.toMillis() - 1000); // a's lock was written a lease ago, by the store's clock
            assertThat(a.tryLock(runner("a"), LEASE).taken()).isTrue();
            s3.writeClockOffsetMillis.set(0);
            assertThat(b.tryLock(runner("b"), LEASE).taken()).isTrue();

            assertThat(a.renewLock(runner("a"), LEASE)).isFalse();
            a.releaseLock(runner("a")); // must not free b's lock
            assertThat(b.lockHolder()).get().extracting(LockInfo::id).isEqualTo("id-b");
        }
    }

    @Test
    void the_holder_takes_its_own_lock_again() {
        try (S3StateBackend a = backend(LockMode.STORE)) {
            assertThat(a.tryLock(runner("a"), LEASE).taken()).isTrue();
            assertThat(a.tryLock(runner("a"), LEASE).taken()).isTrue();
        }
    }

    @Test
    void reads_come_from_one_loading_and_taking_the_lock_reads_again_what_others_wrote() {
        try (S3StateBackend a = backend(LockMode.STORE); S3StateBackend b = backend(LockMode.STORE)) {
            a.put("state/mine.json", "a".getBytes(StandardCharsets.UTF_8), StateBackend.ANY);
            assertThat(a.get("state/k.json")).isEmpty();
            b.put("state/k.json", "by b".getBytes(StandardCharsets.UTF_8), StateBackend.ANY);
            assertThat(a.get("state/k.json")).as("a plan reads the state as of its first read").isEmpty();
            assertThat(a.list("state/")).containsExactly("state/mine.json");
            assertThat(a.tryLock(runner("a"), LEASE).taken()).isTrue();
            assertThat(a.get("state/k.json")).as("under the lock, what b wrote before").isPresent();
            assertThat(a.list("state/")).containsExactly("state/k.json", "state/mine.json");
        }
    }

    @Test
    void force_unlock_needs_the_holders_lock_id() {
        try (S3StateBackend a = backend(LockMode.STORE); S3StateBackend b = backend(LockMode.STORE)) {
            a.tryLock(runner("a"), LEASE);
            assertThatThrownBy(() -> b.forceUnlock("id-other"))
                    .isInstanceOf(TeeflowException.class).hasMessageContaining("has id id-a").hasMessageContaining("'apply' by a");
            assertThat(b.forceUnlock("id-a")).get().extracting(LockInfo::owner).isEqualTo("a");
            assertThat(b.lockHolder()).isEmpty();
            assertThat(b.tryLock(runner("b"), LEASE).taken()).isTrue();
        }
    }

    @Test
    void compare_and_swap_writes_only_over_the_version_it_read() {
        try (S3StateBackend a = backend(LockMode.STORE)) {
            byte[] one = "one".getBytes(StandardCharsets.UTF_8);
            String v1 = a.put("state/x.json", one, StateBackend.ABSENT);
            assertThatThrownBy(() -> a.put("state/x.json", one, StateBackend.ABSENT)).isInstanceOf(ConflictException.class)
                    .hasMessageContaining("already exists");

            String v2 = a.put("state/x.json", "two".getBytes(StandardCharsets.UTF_8), v1);
            assertThatThrownBy(() -> a.put("state/x.json", "three".getBytes(StandardCharsets.UTF_8), v1))
                    .isInstanceOf(ConflictException.class).hasMessageContaining("changed since it was read");
            assertThat(a.get("state/x.json")).get().extracting(StateBackend.Blob::version).isEqualTo(v2);
            assertThat(new String(a.get("state/x.json").orElseThrow().bytes(), StandardCharsets.UTF_8)).isEqualTo("two");
        }
    }

    @Test
    void a_store_that_ignores_conditional_writes_is_refused_as_a_lock_holder() {
        s3.ignoreConditions = true;
        try (S3StateBackend a = backend(LockMode.STORE)) {
            assertThatThrownBy(() -> a.tryLock(runner("a"), LEASE)).isInstanceOf(TeeflowException.class)
                    .hasMessageContaining("ignores conditional writes").hasMessageContaining("postgres or git")
                    .hasMessageContaining("lock: external");
            assertThat(a.lockHolder()).isEmpty();
        }
        assertThat(s3.snapshot().keySet()).noneMatch(k -> k.contains(".probe/")); // the probe cleans up
    }

    @Test
    void lock_external_takes_no_lock_in_the_store_and_says_so_once() {
        s3.ignoreConditions = true;
        try (S3StateBackend a = backend(LockMode.EXTERNAL)) {
            assertThat(a.tryLock(runner("a"), LEASE).taken()).isTrue();
            assertThat(a.renewLock(runner("a"), LEASE)).isTrue();
            a.releaseLock(runner("a"));
            assertThat(s3.snapshot().keySet()).noneMatch(k -> k.endsWith("lock.json"));
        }
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0)).contains("lock: external");
    }

    @Test
    void the_lock_object_names_its_holder_in_plain_json() {
        try (S3StateBackend a = backend(LockMode.STORE)) {
            a.tryLock(runner("a"), LEASE);
        }
        Map<String, byte[]> objects = s3.snapshot();
        String lock = new String(objects.get("team/pipeline/lock.json"), StandardCharsets.UTF_8);
        assertThat(lock).contains("\"host\" : \"host-a\"").contains("\"leaseMillis\" : 60000").contains("leaseUntil");
    }
}
