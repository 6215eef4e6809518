package dev.teeflow.actions.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.teeflow.devnet.storage.StorageServer;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.testing.FakeStepContext;
import dev.teeflow.protocol.dataset.DatasetChecksum;
import dev.teeflow.protocol.ipfs.UnixFsCid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dataset.publish with ipfs: against the devnet's IPFS (POST /api/v0/add, GET /ipfs/<cid>) on loopback. */
class IpfsPublishTest {
    @TempDir
    Path project;
    @TempDir
    Path storageData;
    StorageServer ipfs;
    Path ciphertext;
    String checksum;
    final PublishDatasetStep step = new PublishDatasetStep();

    @BeforeEach
    void setUp() throws Exception {
        ipfs = StorageServer.start(storageData, 0);
        byte[] b = new byte[300_000]; // two chunks: a tree, not a single leaf
        new Random(7).nextBytes(b);
        ciphertext = Files.write(Files.createDirectories(project.resolve(".teeflow")).resolve("emails.xlsx.enc"), b);
        checksum = DatasetChecksum.of(ciphertext);
    }

    @AfterEach
    void tearDown() {
        ipfs.close();
    }

    @Test
    void addsOnceGivesTheIpfsMultiaddrAndTheGatewayServesTheBytes() throws Exception {
        FakeStepContext ctx = context(settings());
        Outputs out = step.run(ctx);
        String cid = UnixFsCid.of(ciphertext);
        assertThat(out.get("url")).isEqualTo("/ipfs/" + cid);
        assertThat(out.get("cid")).isEqualTo(cid);
        assertThat(ipfs.path(cid)).isPresent();
        assertThat(Files.readAllBytes(ipfs.path(cid).orElseThrow())).isEqualTo(Files.readAllBytes(ciphertext));
        assertThat(ctx.lines()).anyMatch(l -> l.contains("/api/v0/add")).anyMatch(l -> l.contains("verified"));

        FakeStepContext again = context(settings());
        assertThat(step.run(again).get("url")).isEqualTo("/ipfs/" + cid);
        assertThat(again.lines()).anyMatch(l -> l.contains("nothing to upload")).noneMatch(l -> l.contains("/api/v0/add"));
        assertThat(step.verify(again, out).stillHolds()).isTrue();
    }

    @Test
    void aGatewayThatDoesNotServeTheBytesFailsVerification() {
        Map<String, Object> s = settings();
        s.put("gateway", "http://127.0.0.1:" + ipfs.port() + "/elsewhere");
        Throwable t = catchThrowable(() -> step.run(context(s)));
        assertThat(t).isInstanceOf(TeeflowException.class).hasMessageContaining("does not serve the ciphertext")
                .hasMessageContaining("ipfs.gateway");
    }

    @Test
    void aNodeWithoutTheApiIsAClearError() {
        Map<String, Object> s = settings();
        s.put("url", ipfs.url() + "/nothing-here");
        Throwable t = catchThrowable(() -> step.run(context(s)));
        assertThat(t).isInstanceOf(TeeflowException.class).hasMessageContaining("/api/v0/add answered HTTP 404");
    }

    private Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("url", ipfs.url().toString());
        s.put("gateway", ipfs.url().toString());
        return s;
    }

    private FakeStepContext context(Map<String, Object> ipfsSettings) {
        Map<String, Object> inputs = new HashMap<>();
        inputs.put("ciphertext", ".teeflow/emails.xlsx.enc");
        inputs.put("checksum", checksum);
        inputs.put("filename", "emails.xlsx.enc");
        inputs.put("ipfs", ipfsSettings);
        return new FakeStepContext("dataset.emails.publish", project, inputs);
    }
}
