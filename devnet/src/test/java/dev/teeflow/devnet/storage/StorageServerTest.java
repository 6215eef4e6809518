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

    @Test
    void busyPortIsAClearError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StorageServer.start(dir, storage.port()))
                .isInstanceOf(PortInUseException.class).hasMessageContaining("storage");
    }
}
