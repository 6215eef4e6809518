package dev.teeflow.actions.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.actions.docker.DockerEngine;
import dev.teeflow.actions.docker.ImagePush;
import dev.teeflow.actions.docker.ImageReference;
import dev.teeflow.actions.docker.RegistryClient;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.protocol.net.FaultProxy;
import dev.teeflow.protocol.net.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry refusing, then accepting: a FaultProxy in front of the local registry on 127.0.0.1:5000
 * (scripts/docker-up.sh). Digest reads are retried by teeflow; the push (dockerd talks to the registry)
 * is repeated by teeflow when it failed on a 5xx, which is safe because a push is idempotent.
 */
class RegistryFaultsTest {
    static final RetryPolicy FAST = RetryPolicy.standard().withDelays(Duration.ofMillis(20), Duration.ofMillis(100));

    FaultProxy proxy;
    final List<String> retries = new ArrayList<>();
    final List<String> output = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        DockerTestSupport.requireRegistry();
        proxy = FaultProxy.start(URI.create("http://" + DockerTestSupport.REGISTRY));
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    private ImageReference throughProxy(String path, String tag) {
        return ImageReference.of("127.0.0.1:" + proxy.port() + "/" + path, tag);
    }

    private String pushedImage() throws Exception {
        DockerEngine engine = DockerTestSupport.engine();
        String path = "teeflow-test/retry-" + UUID.randomUUID().toString().substring(0, 8);
        ImageReference direct = ImageReference.of(DockerTestSupport.REGISTRY + "/" + path, "v1");
        engine.tag(DockerTestSupport.BUSYBOX, direct.repository(), direct.tag());
        ImagePush.push(engine, direct, null, null, output::add);
        return path;
    }

    @Test
    void digestReadsAreRetriedThroughServerErrors() throws Exception {
        String path = pushedImage();
        String expected = DockerTestSupport.registryDigest(path, "v1");

        proxy.next(2, new FaultProxy.Answer(503));
        RegistryClient client = new RegistryClient(null, null, true, FAST, retries::add);
        assertThat(client.manifestDigest(throughProxy(path, "v1"))).contains(expected);
        assertThat(retries).hasSize(2).allMatch(l -> l.startsWith("registry 127.0.0.1:" + proxy.port()
                + " answered 503, retrying in"));
    }

    @Test
    void aMissingTagIsNotRetriedAndARegistryThatStaysAwayIsAClearError() throws Exception {
        RegistryClient client = new RegistryClient(null, null, true, FAST, retries::add);
        assertThat(client.manifestDigest(throughProxy("teeflow-test/never-pushed", "v1"))).isEmpty();
        assertThat(proxy.count("GET")).isEqualTo(1);
        assertThat(retries).isEmpty();

        proxy.down();
        assertThatThrownBy(() -> client.manifestDigest(throughProxy("teeflow-test/never-pushed", "v1")))
                .isInstanceOf(TeeflowException.class).hasMessageContaining("does not answer")
                .hasMessageContaining("5 attempts");
        assertThat(retries).hasSize(4);
    }

    @Test
    void aPushToARegistryThatIsAwayIsRepeatedWhenItComesBack() throws Exception {
        DockerEngine engine = DockerTestSupport.engine();
        String path = "teeflow-test/retry-push-" + UUID.randomUUID().toString().substring(0, 8);
        ImageReference ref = throughProxy(path, "v1");
        engine.tag(DockerTestSupport.BUSYBOX, ref.repository(), ref.tag());

        // dockerd retries a 503 by itself (about 10 s), but gives up at once on a refused connection:
        // the registry port is closed for the first push and opens again while teeflow waits to retry.
        proxy.down();
        RetryPolicy comesBack = FAST.withSleeper(d -> {
            try {
                proxy.up();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        ImagePush.push(engine, ref, null, null, output::add, comesBack, retries::add);

        assertThat(retries).hasSize(1).allMatch(l -> l.contains("retrying in") && l.endsWith("(2/5)"));
        assertThat(DockerTestSupport.registryDigest(path, "v1")).startsWith("sha256:");
    }

    @Test
    void aRefusedPushIsNotRetried() throws Exception {
        DockerEngine engine = DockerTestSupport.engine();
        ImageReference ref = throughProxy("teeflow-test/retry-denied", "v1");
        engine.tag(DockerTestSupport.BUSYBOX, ref.repository(), ref.tag());
        proxy.next(50, new FaultProxy.Answer(401));
        assertThatThrownBy(() -> ImagePush.push(engine, ref, null, null, output::add, FAST, retries::add))
                .isInstanceOf(TeeflowException.class).hasMessageNotContaining("attempts");
        assertThat(retries).isEmpty();
    }

    @Test
    void aPushToARegistryThatStaysAwayIsAClearErrorWithTheAttempts() throws Exception {
        DockerEngine engine = DockerTestSupport.engine();
        ImageReference ref = throughProxy("teeflow-test/retry-gone", "v1");
        engine.tag(DockerTestSupport.BUSYBOX, ref.repository(), ref.tag());
        proxy.down();
        assertThatThrownBy(() -> ImagePush.push(engine, ref, null, null, output::add,
                FAST.withMaxAttempts(3), retries::add))
                .isInstanceOf(TeeflowException.class).hasMessageContaining("does not answer")
                .hasMessageContaining("3 attempts");
        assertThat(retries).hasSize(2);
    }
}
