package dev.teeflow.actions.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.teeflow.actions.net.Retries;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.testing.FakeStepContext;
import dev.teeflow.protocol.dataset.DatasetChecksum;
import dev.teeflow.protocol.net.FaultProxy;
import dev.teeflow.protocol.net.RetryPolicy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dataset.publish over HTTP with the upload server failing: a PUT is repeated, a POST only when it did not land. */
class HttpPublishFaultsTest {
    static final RetryPolicy FAST = RetryPolicy.standard().withDelays(Duration.ofMillis(20), Duration.ofMillis(80));
    @TempDir
    Path project;
    Path ciphertext;
    String checksum;
    UploadStore store;
    FaultProxy proxy;

    @BeforeEach
    void setUp() throws Exception {
        byte[] b = new byte[10_000];
        new Random(5).nextBytes(b);
        ciphertext = Files.write(Files.createDirectories(project.resolve(".teeflow")).resolve("emails.xlsx.enc"), b);
        checksum = DatasetChecksum.of(ciphertext);
        store = new UploadStore(null);
        proxy = FaultProxy.start(URI.create(store.url()));
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        store.close();
    }

    private FakeStepContext context(String method) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("url", proxy.url() + "/d/emails.xlsx.enc");
        h.put("method", method);
        h.put("verify", true);
        Map<String, Object> inputs = new HashMap<>();
        inputs.put("ciphertext", ".teeflow/emails.xlsx.enc");
        inputs.put("checksum", checksum);
        inputs.put("filename", "emails.xlsx.enc");
        inputs.put("http", h);
        FakeStepContext ctx = new FakeStepContext("dataset.emails.publish", project, inputs);
        ctx.shared(Retries.SHARED_KEY, RetryPolicy.class, () -> FAST);
        return ctx;
    }

    @Test
    void aPutAnsweredWith503IsRepeated() throws Exception {
        // GET (not there yet) goes through, then two PUTs get 503
        proxy.next(1, new FaultProxy.Pass()).next(2, new FaultProxy.Answer(503));
        FakeStepContext ctx = context("PUT");
        new PublishDatasetStep().run(ctx);
        assertThat(store.stored.get("/d/emails.xlsx.enc")).isEqualTo(Files.readAllBytes(ciphertext));
        assertThat(ctx.lines()).filteredOn(l -> l.contains("answered 503, retrying in")).hasSize(2);
    }

    @Test
    void aPostThatLandedButLostItsAnswerIsNotSentAgain() throws Exception {
        proxy.next(1, new FaultProxy.Pass()).next(1, new FaultProxy.ForwardThenAnswer(502));
        FakeStepContext ctx = context("POST");
        new PublishDatasetStep().run(ctx);
        assertThat(store.uploads).containsExactly("POST /d/emails.xlsx.enc");
        assertThat(ctx.lines()).anyMatch(l -> l.contains("the upload had landed"));
    }

    @Test
    void anUploadServerThatStaysAwayIsAClearErrorWithTheAttempts() {
        proxy.down();
        Throwable t = catchThrowable(() -> new PublishDatasetStep().run(context("PUT")));
        assertThat(t).isInstanceOf(TeeflowException.class).hasMessageContaining("cannot reach")
                .hasMessageContaining("5 attempts");
        assertThat(store.uploads).isEmpty();
    }
}
