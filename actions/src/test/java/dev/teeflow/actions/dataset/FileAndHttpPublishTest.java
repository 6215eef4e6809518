package dev.teeflow.actions.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.testing.FakeStepContext;
import dev.teeflow.protocol.dataset.DatasetChecksum;
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

/** dataset.publish with file: and http: (a real HTTP store on 127.0.0.1 that requires a bearer token). */
class FileAndHttpPublishTest {
    static final String TOKEN = "Bearer upl0ad-t0ken-value";
    @TempDir
    Path project;
    Path ciphertext;
    String checksum;
    UploadStore store;
    final PublishDatasetStep step = new PublishDatasetStep();

    @BeforeEach
    void setUp() throws Exception {
        byte[] b = new byte[10_000];
        new Random(3).nextBytes(b);
        ciphertext = Files.write(Files.createDirectories(project.resolve(".teeflow")).resolve("emails.xlsx.enc"), b);
        checksum = DatasetChecksum.of(ciphertext);
        store = new UploadStore(TOKEN);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void copiesIntoAFolderOnceAndVerifies() throws Exception {
        FakeStepContext ctx = context("file", Map.of("dir", "public"));
        Outputs out = step.run(ctx);
        Path copy = project.resolve("public").resolve(ContentAddressedPath.of("emails.xlsx.enc", checksum));
        assertThat(copy).hasSameBinaryContentAs(ciphertext);
        assertThat(out.get("url")).isEqualTo(copy.toUri().toString());
        FakeStepContext again = context("file", Map.of("dir", "public"));
        step.run(again);
        assertThat(again.lines()).anyMatch(l -> l.contains("already published"));
        assertThat(step.verify(again, out).stillHolds()).isTrue();
        Files.writeString(copy, "tampered");
        assertThat(step.verify(again, out).stillHolds()).isFalse();
    }

    @Test
    void uploadsWithSecretHeadersOnlyWhenTheBytesAreNotThereYet() throws Exception {
        Map<String, Object> http = http("PUT");
        Outputs out = step.run(context("http", http));
        assertThat(store.stored.get("/d/emails.xlsx.enc")).isEqualTo(Files.readAllBytes(ciphertext));
        assertThat(out.get("url")).isEqualTo(url());

        FakeStepContext again = context("http", http("PUT"));
        step.run(again);
        assertThat(store.uploads).hasSize(1);
        assertThat(step.verify(again, out).stillHolds()).isTrue();
        store.stored.clear();
        assertThat(step.verify(again, out).reason()).contains("404");
    }

    @Test
    void aRefusedTokenIsAClearErrorWithoutIt() {
        Map<String, Object> http = http("POST");
        http.put("headers", Map.of("Authorization", Secret.ofText(SecretRef.env("UPLOAD_TOKEN"), "Bearer wrong-t0ken-value")));
        Throwable t = catchThrowable(() -> step.run(context("http", http)));
        assertThat(t).isInstanceOf(TeeflowException.class).hasMessageContaining("HTTP 401")
                .hasMessageNotContaining("wrong-t0ken-value");
        assertThat(store.stored).isEmpty();
    }

    @Test
    void refusesACiphertextThatNoLongerMatchesItsChecksum() throws Exception {
        Files.writeString(ciphertext, "changed");
        Throwable t = catchThrowable(() -> step.run(context("file", Map.of("dir", "public"))));
        assertThat(t).isInstanceOf(TeeflowException.class).hasMessageContaining("no longer has checksum");
        assertThat(project.resolve("public")).doesNotExist();
    }

    @Test
    void aFolderKeepsEveryPublishedFileAndKeepsOneAnEarlierVersionWroteUnderThePlainName() throws Exception {
        Outputs first = step.run(context("file", Map.of("dir", "public")));
        Path firstCopy = Path.of(java.net.URI.create(first.get("url").toString()));
        byte[] firstBytes = Files.readAllBytes(ciphertext);
        byte[] other = new byte[10_000];
        new Random(4).nextBytes(other);
        Files.write(ciphertext, other);
        checksum = DatasetChecksum.of(ciphertext);
        Outputs second = step.run(context("file", Map.of("dir", "public")));
        assertThat(second.get("url")).isNotEqualTo(first.get("url"));
        assertThat(firstCopy).hasBinaryContent(firstBytes);

        Path plain = project.resolve("public/emails.xlsx.enc");
        Files.write(plain, other);
        Path content = project.resolve("public").resolve(ContentAddressedPath.of("emails.xlsx.enc", checksum));
        Files.delete(content);
        Outputs legacy = step.run(context("file", Map.of("dir", "public")));
        assertThat(legacy.get("url")).isEqualTo(plain.toUri().toString());
        assertThat(content).doesNotExist();
    }

    @Test
    void anHttpUrlThatServesOtherBytesIsNeverOverwrittenAndPlacedUrlsGetTheChecksum() throws Exception {
        store.stored.put("/d/emails.xlsx.enc", "the bytes a deployed dataset points at".getBytes());
        Throwable t = catchThrowable(() -> step.run(context("http", http("PUT"))));
        assertThat(t).isInstanceOf(TeeflowException.class).hasMessageContaining("already serves other bytes")
                .hasMessageContaining("{checksum}");
        assertThat(store.uploads).isEmpty();

        Map<String, Object> placed = http("PUT");
        placed.put("url", store.url() + "/d/{checksum}/emails.xlsx.enc");
        Outputs out = step.run(context("http", placed));
        String path = "/d/" + checksum.substring(2, 18) + "/emails.xlsx.enc";
        assertThat(out.get("url")).isEqualTo(store.url() + path);
        assertThat(store.stored.get(path)).isEqualTo(Files.readAllBytes(ciphertext));
        assertThat(store.stored.get("/d/emails.xlsx.enc")).isEqualTo("the bytes a deployed dataset points at".getBytes());
    }

    private String url() {
        return store.url() + "/d/emails.xlsx.enc";
    }

    private Map<String, Object> http(String method) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("url", url());
        h.put("method", method);
        h.put("verify", true);
        h.put("headers", Map.of("Authorization", Secret.ofText(SecretRef.env("UPLOAD_TOKEN"), TOKEN)));
        return h;
    }

    private FakeStepContext context(String kind, Map<String, Object> settings) {
        Map<String, Object> inputs = new HashMap<>();
        inputs.put("ciphertext", ".teeflow/emails.xlsx.enc");
        inputs.put("checksum", checksum);
        inputs.put("filename", "emails.xlsx.enc");
        inputs.put(kind, settings);
        return new FakeStepContext("dataset.emails.publish", project, inputs);
    }
}
