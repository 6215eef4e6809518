package dev.teeflow.actions.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.teeflow.actions.net.Retries;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Outputs;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git remote misbehaving under dataset.publish: server errors, a refused push, a remote that is gone. */
class GitFaultsTest {
    static final String PASSWORD = "s3cr3t-t0ken-value";
    static final RetryPolicy FAST = RetryPolicy.standard().withDelays(Duration.ofMillis(20), Duration.ofMillis(100));

    @TempDir
    Path project;
    @TempDir
    Path hosted;
    GitHttpTestServer server;
    FaultProxy proxy;
    Repository remoteRepo;
    Path ciphertext;
    String checksum;
    final PublishDatasetStep step = new PublishDatasetStep();

    @BeforeEach
    void setUp() throws Exception {
        server = new GitHttpTestServer(hosted, "alice", PASSWORD);
        remoteRepo = server.createRepo("alice/data");
        proxy = FaultProxy.start(URI.create("http://127.0.0.1:" + server.port()));
        byte[] b = new byte[4096];
        new Random(7).nextBytes(b);
        ciphertext = Files.write(Files.createDirectories(project.resolve("state")).resolve("emails.xlsx.enc"), b);
        checksum = DatasetChecksum.of(ciphertext);
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        remoteRepo.close();
        server.close();
    }

    private FakeStepContext context() {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("remote", "http://127.0.0.1:" + proxy.port() + "/alice/data.git");
        g.put("path", "enc/emails.xlsx.enc");
        g.put("url", server.rawPattern());
        g.put("verify", false);
        g.put("username", "alice");
        g.put("token", Secret.ofText(SecretRef.env("GIT_TOKEN"), PASSWORD));
        Map<String, Object> inputs = new HashMap<>();
        inputs.put("ciphertext", ciphertext.toString());
        inputs.put("checksum", checksum);
        inputs.put("git", g);
        FakeStepContext ctx = new FakeStepContext("dataset.emails.publish", project, inputs);
        ctx.shared(Retries.SHARED_KEY, RetryPolicy.class, () -> FAST);
        return ctx;
    }

    private int commitsOnMain() throws Exception {
        ObjectId head = remoteRepo.resolve("refs/heads/main");
        if (head == null) {
            return 0;
        }
        int n = 0;
        try (RevWalk rw = new RevWalk(remoteRepo)) {
            rw.markStart(rw.parseCommit(head));
            for (RevCommit ignored : rw) {
                n++;
            }
        }
        return n;
    }

    @Test
    void serverErrorsOfTheRemoteAreRetried() throws Exception {
        proxy.next(2, new FaultProxy.Answer(503));
        FakeStepContext ctx = context();
        Outputs out = step.run(ctx);

        assertThat(out.get("commit")).isEqualTo(remoteRepo.resolve("refs/heads/main").name());
        assertThat(commitsOnMain()).isEqualTo(1);
        assertThat(ctx.lines()).filteredOn(l -> l.contains("answered 503, retrying in")).hasSize(2);
        assertThat(String.join("\n", ctx.lines())).doesNotContain(PASSWORD);
    }

    @Test
    void aPushWhoseAnswerWasLostIsRepeatedHarmlessly() throws Exception {
        // ls-remote, then the push's two requests: info/refs goes through, the pack is applied but answered 502
        proxy.next(1, new FaultProxy.Pass()).next(1, new FaultProxy.Pass())
                .next(1, new FaultProxy.ForwardThenAnswer(502));
        FakeStepContext ctx = context();
        Outputs out = step.run(ctx);

        assertThat(out.get("commit")).isEqualTo(remoteRepo.resolve("refs/heads/main").name());
        assertThat(commitsOnMain()).as("the repeated push added nothing").isEqualTo(1);
        assertThat(ctx.lines()).anyMatch(l -> l.contains("answered 502, retrying in"));
    }

    @Test
    void aPushRefusedByTheServerIsAClearErrorAndTheNextRunPublishes() throws Exception {
        AtomicInteger refusals = new AtomicInteger();
        server.preReceive.set((rp, commands) -> {
            if (refusals.getAndIncrement() == 0) {
                commands.forEach(c -> c.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "branch main is protected"));
            }
        });
        Throwable refused = catchThrowable(() -> step.run(context()));
        assertThat(refused).isInstanceOf(TeeflowException.class).hasMessageContaining("dataset.emails.publish")
                .hasMessageContaining("refused the push to main").hasMessageContaining("branch main is protected")
                .hasMessageNotContaining(PASSWORD);
        assertThat(commitsOnMain()).isZero();

        Outputs out = step.run(context());
        assertThat(out.get("commit")).isEqualTo(remoteRepo.resolve("refs/heads/main").name());
        assertThat(commitsOnMain()).isEqualTo(1);
    }

    @Test
    void aRefusalSayingTheRefIsLockedIsRetriedAtOnce() throws Exception {
        AtomicInteger refusals = new AtomicInteger();
        server.preReceive.set((rp, commands) -> {
            if (refusals.getAndIncrement() == 0) {
                commands.forEach(c -> c.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "cannot lock ref"));
            }
        });
        Outputs out = step.run(context());
        assertThat(out.get("commit")).isEqualTo(remoteRepo.resolve("refs/heads/main").name());
        assertThat(refusals).hasValue(2);
    }

    @Test
    void aRemoteThatStaysAwayIsAClearErrorWithTheAttempts() {
        proxy.down();
        FakeStepContext ctx = context();
        Throwable t = catchThrowable(() -> step.run(ctx));
        assertThat(t).isInstanceOf(TeeflowException.class).hasMessageContaining("dataset.emails.publish")
                .hasMessageContaining("5 attempts").hasMessageNotContaining(PASSWORD);
        assertThat(ctx.lines()).filteredOn(l -> l.contains("retrying in")).hasSize(4);
    }
}
