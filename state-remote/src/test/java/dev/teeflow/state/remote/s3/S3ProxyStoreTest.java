package dev.teeflow.state.remote.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.state.LockInfo;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.state.remote.LockMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The s3 backend against a real S3-compatible server, s3proxy 2.6.0, on loopback. */
class S3ProxyStoreTest {
    @TempDir
    static Path dir;
    static S3ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = S3ProxyServer.start(dir, "teeflow");
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static S3StateBackend backend(String prefix, LockMode mode, List<String> notices) {
        return new S3StateBackend(S3TestSettings.of(proxy.endpoint(), "teeflow", prefix, mode), notices::add);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void stores_reads_lists_and_keeps_every_version_of_a_key() {
        try (S3StateBackend s = backend("store-test/", LockMode.STORE, new ArrayList<>())) {
            assertThat(s.get("state/a.json")).isEmpty();
            String v1 = s.put("state/a.json", bytes("first"), StateBackend.ANY);
            s.put("state/a.json", bytes("second"), StateBackend.ANY);
            s.put("intents/a.json", bytes("intent"), StateBackend.ANY);
            s.put("secrets/a/key", bytes("sealed"), StateBackend.ANY);

            assertThat(new String(s.get("state/a.json").orElseThrow().bytes(), StandardCharsets.UTF_8)).isEqualTo("second");
            assertThat(s.list("state/")).containsExactly("state/a.json");
            assertThat(s.list("")).containsExactly("intents/a.json", "secrets/a/key", "state/a.json");

            s.delete("intents/a.json");
            s.delete("intents/never-written.json");
            assertThat(s.get("intents/a.json")).isEmpty();
            assertThat(s.list("intents/")).isEmpty();

            List<StateBackend.Revision> history = s.history("state/a.json");
            assertThat(history).extracting(r -> new String(r.bytes(), StandardCharsets.UTF_8)).containsExactly("second", "first");
            assertThat(history.get(1).version()).isEqualTo(v1);
            assertThat(s.history("intents/a.json")).hasSize(2).first().matches(StateBackend.Revision::deleted);
        }
    }

    @Test
    void two_prefixes_in_one_bucket_are_two_separate_states() {
        try (S3StateBackend one = backend("one/", LockMode.STORE, new ArrayList<>());
             S3StateBackend two = backend("two/", LockMode.STORE, new ArrayList<>())) {
            one.put("state/x.json", bytes("1"), StateBackend.ANY);
            assertThat(two.get("state/x.json")).isEmpty();
            assertThat(two.list("")).isEmpty();
        }
    }

    @Test
    void refuses_to_lock_on_s3proxy_because_it_ignores_conditional_writes() {
        try (S3StateBackend s = backend("refusal/", LockMode.STORE, new ArrayList<>())) {
            LockInfo me = LockInfo.ofThisProcess("apply");
            assertThatThrownBy(() -> s.tryLock(me, Duration.ofSeconds(60)))
                    .isInstanceOf(TeeflowException.class)
                    .hasMessageContaining("ignores conditional writes")
                    .hasMessageContaining("second upload with 'If-None-Match: *'")
                    .hasMessageContaining("postgres or git state backend")
                    .hasMessageContaining("lock: external")
                    .hasMessageNotContaining(S3ProxyServer.SECRET_KEY);
            assertThat(s.lockHolder()).isEmpty();
        }
    }

    @Test
    void with_lock_external_the_run_goes_on_without_a_lock_in_the_store() {
        List<String> notices = new ArrayList<>();
        try (S3StateBackend s = backend("external/", LockMode.EXTERNAL, notices)) {
            assertThat(s.tryLock(LockInfo.ofThisProcess("apply"), Duration.ofSeconds(60)).taken()).isTrue();
            assertThat(s.lockHolder()).isEmpty();
        }
        assertThat(notices).singleElement().asString().contains("not taken");
    }

    @Test
    void wrong_credentials_are_a_clear_error_without_the_secret() {
        S3Settings wrong = new S3Settings(java.util.Optional.of(proxy.endpoint()), "teeflow", "x/", "us-east-1", true,
                dev.teeflow.engine.secret.Secret.ofText(dev.teeflow.engine.secret.SecretRef.env("K"), "nobody"),
                dev.teeflow.engine.secret.Secret.ofText(dev.teeflow.engine.secret.SecretRef.env("S"), "wrong-secret-value"),
                java.util.Optional.empty(), LockMode.STORE);
        try (S3StateBackend s = new S3StateBackend(wrong, n -> { })) {
            assertThatThrownBy(() -> s.get("state/a.json")).isInstanceOf(TeeflowException.class)
                    .hasMessageContaining("refused the credentials").hasMessageNotContaining("wrong-secret-value");
        }
    }
}
