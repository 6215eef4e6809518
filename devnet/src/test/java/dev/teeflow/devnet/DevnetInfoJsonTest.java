package dev.teeflow.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.protocol.devnet.DevnetInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** devnet.json names the IPFS upload node (the storage URL) beside the gateway, and still reads back. */
class DevnetInfoJsonTest {
    @TempDir
    Path dir;

    @Test
    void ipfsNodeIsWrittenAfterTheGatewayAndReadBack() throws Exception {
        DevnetInfo info = new DevnetInfo("default", 31337, "http://127.0.0.1:1", "0xhub", "0xa", "0xd", "0xw", "0xr",
                "http://127.0.0.1:2", "http://127.0.0.1:3", "http://127.0.0.1:4", "http://127.0.0.1:5", "0xpool",
                "http://127.0.0.1:6", "http://127.0.0.1:6", "tdx", List.of(new DevnetInfo.Account("0x1", "0x2", "user")));
        Path file = dir.resolve("devnet.json");
        info.write(file);
        List<String> fields = new ArrayList<>();
        new ObjectMapper().readTree(file.toFile()).fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsSubsequence("ipfsGateway", "ipfsNode", "gitHost");
        assertThat(new ObjectMapper().readTree(file.toFile()).path("ipfsNode").asText()).isEqualTo("http://127.0.0.1:4");
        assertThat(DevnetInfo.read(file)).isEqualTo(info);
    }
}
