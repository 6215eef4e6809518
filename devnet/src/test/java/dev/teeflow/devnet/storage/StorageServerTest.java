package dev.teeflow.devnet.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.teeflow.devnet.sms.PortInUseException;

class StorageServerTest {
    @TempDir
    Path dir;
    StorageServer storage;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        storage = StorageServer.start(dir, 0);
    }

    @AfterEach
    void stop() {
        storage.close();
    }

    @Test
    void uploadThenReadThroughTheGatewayPath() throws Exception {
        byte[] zip = new byte[300_000];
        new Random(7).nextBytes(zip);
        HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(storage.url() + "/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(zip)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(up.statusCode()).isEqualTo(200);
        var json = new ObjectMapper().readTree(up.body());
        String cid = json.get("cid").asText();
        assertThat(cid).startsWith("Qm").hasSize(46);
        assertThat(json.get("location").asText()).isEqualTo("/ipfs/" + cid);

        HttpResponse<byte[]> down = http.send(HttpRequest.newBuilder(URI.create(storage.url() + "/ipfs/" + cid)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(down.statusCode()).isEqualTo(200);
        assertThat(down.body()).isEqualTo(zip);
        // same content, same id (the worker's Java path)
        assertThat(storage.put(zip)).isEqualTo(cid);
    }

    @Test
    void javaUploadOfAFileAndUnknownIds() throws Exception {
        Path f = Files.writeString(dir.resolve("result.txt"), "hello");
        String cid = storage.put(f);
        assertThat(storage.path(cid)).isPresent();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(storage.url() + "/ipfs/" + cid)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("hello");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(storage.url() + "/ipfs/QmNotThere")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(storage.url() + "/ipfs/..%2F..%2Fetc%2Fpasswd")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
    }

    /**
     * The iExec SDK's own upload function (npm iexec 9, src/common/utils/ipfs.js: kubo-rpc-client's add, then a HEAD
     * on the gateway) against this store: it succeeds and gets the CID kubo gives, which the store computes too.
     */
    @Test
    void theIexecSdksIpfsUploadWorksAndGetsRealCids() throws Exception {
        Path sdk = sdkModules().resolve("iexec/src/common/utils/ipfs.js");
        byte[] big = new byte[600_000]; // three chunks
        new Random(11).nextBytes(big);
        Path bigFile = Files.write(dir.resolve("big.bin"), big);
        Path script = Files.writeString(dir.resolve("add.mjs"), """
                import { readFileSync } from 'node:fs';
                import { add } from '%s';
                const node = '%s';
                console.log(await add({ content: 'hello world\\n', ipfsNode: node, ipfsGateway: node }));
                console.log(await add({ content: readFileSync('%s'), ipfsNode: node, ipfsGateway: node }));
                """.formatted(sdk.toUri(), storage.url(), bigFile));
        Process p = new ProcessBuilder("node", script.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        String[] cids = out.strip().split("\n");
        assertThat(cids[0]).isEqualTo("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"); // kubo's, for "hello world\n"
        assertThat(cids[1]).isEqualTo(dev.teeflow.protocol.ipfs.UnixFsCid.of(big));
        assertThat(Files.readAllBytes(storage.path(cids[1]).orElseThrow())).isEqualTo(big);
    }

    @Test
    void addOptionsThatWouldChangeTheCidAreRefused() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(storage.url() + "/api/v0/add?cid-version=1"))
                .header("Content-Type", "multipart/form-data; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofString("--x\r\n\r\nhi\r\n--x--\r\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("cid-version");
    }

    private static Path sdkModules() {
        String cache = System.getenv("TEEFLOW_CACHE");
        Path modules = (cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "teeflow"))
                .resolve("iexec-cli/node_modules");
        if (!Files.isDirectory(modules.resolve("iexec"))) {
            org.assertj.core.api.Assertions.fail("the official iexec CLI is not installed under " + modules
                    + ": run scripts/install-iexec-cli.sh first");
        }
        return modules;
    }

    @Test
    void busyPortIsAClearError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StorageServer.start(dir, storage.port()))
                .isInstanceOf(PortInUseException.class).hasMessageContaining("storage");
    }
}
