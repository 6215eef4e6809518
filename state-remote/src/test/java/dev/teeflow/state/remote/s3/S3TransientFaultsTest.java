package dev.teeflow.state.remote.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.state.LockInfo;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.testing.FaultyProxy;
import dev.teeflow.state.remote.LockMode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The s3 backend through a proxy that loses the answer to a conditional upload that landed: the client's retry
 * gets 412, and the backend recognises its own bytes there (this write done) instead of taking them for
 * someone else's: no conflict, and the lock is this run's.
 */
class S3TransientFaultsTest {
    private LoopbackS3 s3;
    private FaultyProxy proxy;
    private final List<String> notices = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        s3 = new LoopbackS3("state");
        proxy = FaultyProxy.to("127.0.0.1", s3.endpoint().getPort());
    }

    @AfterEach
    void stop() {
        proxy.close();
        s3.close();
    }

    private S3StateBackend backend() {
        return new S3StateBackend(S3TestSettings.of(URI.create("http://127.0.0.1:" + proxy.port()), "state",
                "team/pipeline/", LockMode.STORE), notices::add);
    }

    @Test
    void aConditionalUploadWhoseAnswerWasLostIsRecognisedAsThisWrite() {
        LockInfo me = new LockInfo("a", "host-a", 42, "apply", "2026-01-01T00:00:00Z", "id-a", null, null);
        try (S3StateBackend a = backend()) {
            a.lockHolder(); // connected; the store's conditional writes are probed at the first lock
            proxy.loseTheAnswerTo("If-None-Match");
            assertThat(a.tryLock(me, Duration.ofSeconds(60)).taken()).as("the lock is this run's").isTrue();
            int lostForTheLockOrProbe = proxy.answersLost();
            assertThat(lostForTheLockOrProbe).isEqualTo(1);

            proxy.loseTheAnswerTo("If-None-Match");
            a.put("state/x.json", "only once".getBytes(StandardCharsets.UTF_8), StateBackend.ABSENT);
            assertThat(proxy.answersLost()).isEqualTo(2);
            assertThat(a.get("state/x.json")).hasValueSatisfying(b -> assertThat(new String(b.bytes(), StandardCharsets.UTF_8))
                    .isEqualTo("only once"));
            assertThat(a.lockHolder()).get().extracting(LockInfo::id).isEqualTo("id-a");
        }
    }
}
