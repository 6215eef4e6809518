package dev.teeflow.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.devnet.chain.CacheDir;
import dev.teeflow.protocol.devnet.DevnetInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** `devnet up/down` through the real daemon JVM: files, health, busy ports, coexistence, persistence, no orphans. */
class DevnetLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final DevnetLauncher launcher = DevnetLauncher.forThisJvm(new PrintStream(output, true));
    private final List<DevnetConfig> started = new ArrayList<>();

    @TempDir
    Path home;

    @AfterEach
    void downEverything() {
        started.forEach(launcher::down);
    }

    private DevnetConfig config(String name, DevnetPorts ports) {
        DevnetConfig c = new DevnetConfig(name, DevnetConfig.dirOf(home, name), ports, 134134, CacheDir.resolve());
        started.add(c);
        return c;
    }

    @Test
    void upWritesDevnetJsonAndEveryComponentAnswersThenDownLeavesNoProcess() throws Exception {
        DevnetConfig config = config("one", DevnetPorts.findFree());
        long t0 = System.nanoTime();
        DevnetInfo info = launcher.up(config);
        long upMs = (System.nanoTime() - t0) / 1_000_000;

        JsonNode json = JSON.readTree(config.infoFile().toFile());
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("name", "chainId", "rpc", "hub", "appRegistry", "datasetRegistry",
                "workerpoolRegistry", "rlc", "sms", "market", "ipfsGateway", "ipfsNode", "gitHost", "workerpool",
                "workerpoolApi", "compass", "teeFramework", "accounts");
        assertThat(json.path("accounts").get(3).path("role").asText()).isEqualTo("user");
        assertThat(json.path("accounts").get(3).path("privateKey").asText()).startsWith("0x7c8521");
        assertThat(info.rpc()).isEqualTo("http://127.0.0.1:" + config.ports().rpc());
        assertThat(info.workerpoolApi()).isEqualTo("http://127.0.0.1:" + config.ports().workerpoolApi());
        assertThat(DevnetHealth.checkServices(info)).allMatch(DevnetHealth.Probe::healthy);

        ProcessHandle daemon = DevnetLauncher.daemon(config).orElseThrow();
        ProcessHandle anvil = DevnetLauncher.anvil(config).orElseThrow();
        assertThat(anvil.isAlive()).isTrue();

        // up again on a running devnet: no second daemon
        assertThat(launcher.up(config)).isEqualTo(info);
        assertThat(output.toString()).contains("already up");

        long t1 = System.nanoTime();
        assertThat(launcher.down(config)).isTrue();
        long downMs = (System.nanoTime() - t1) / 1_000_000;
        assertThat(daemon.isAlive()).isFalse();
        assertThat(anvil.isAlive()).isFalse();
        assertThat(config.infoFile()).doesNotExist();
        assertThat(DevnetHealth.checkServices(info)).noneMatch(DevnetHealth.Probe::healthy);
        System.out.println("devnet up " + upMs + " ms, down " + downMs + " ms");
    }

    @Test
    void chainStateSurvivesDownAndUp() throws Exception {
        DevnetConfig config = config("persist", DevnetPorts.findFree());
        DevnetInfo info = launcher.up(config);
        String someone = "0x00000000000000000000000000000000000000aa";
        rpc(info.rpc(), "anvil_setBalance", "[\"" + someone + "\",\"0x3039\"]");
        launcher.down(config);

        long t0 = System.nanoTime();
        DevnetInfo again = launcher.up(config);
        System.out.println("devnet second up " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertThat(rpc(again.rpc(), "eth_getBalance", "[\"" + someone + "\",\"latest\"]").asText()).isEqualTo("0x3039");
    }

    @Test
    void aBusyPortIsAClearErrorAndTwoNamedDevnetsCoexist() {
        DevnetPorts ports = DevnetPorts.findFree();
        DevnetInfo first = launcher.up(config("first", ports));

        assertThatThrownBy(() -> launcher.up(config("clash", ports)))
                .isInstanceOf(DevnetException.class)
                .hasMessageContaining("port(s) " + ports.rpc() + " (chain RPC)")
                .hasMessageContaining("--port-base");

        DevnetPorts other = DevnetPorts.findFree();
        DevnetInfo second = launcher.up(config("second", other));
        assertThat(second.rpc()).isNotEqualTo(first.rpc());
        assertThat(DevnetHealth.checkServices(first)).allMatch(DevnetHealth.Probe::healthy);
        assertThat(DevnetHealth.checkServices(second)).allMatch(DevnetHealth.Probe::healthy);
    }

    @Test
    void upOnADevnetWhoseChainDiedRestartsItInsteadOfSayingAlreadyUp() throws Exception {
        DevnetConfig config = config("dead-chain", DevnetPorts.findFree());
        DevnetInfo info = launcher.up(config);
        ProcessHandle anvil = DevnetLauncher.anvil(config).orElseThrow();
        anvil.destroyForcibly(); // the chain dies, the daemon lives on
        anvil.onExit().get(10, TimeUnit.SECONDS);
        assertThat(DevnetLauncher.daemon(config)).isPresent();
        output.reset();

        DevnetInfo again = launcher.up(config);
        assertThat(output.toString()).doesNotContain("already up").contains("chain RPC does not answer")
                .contains("restarting it");
        assertThat(DevnetHealth.checkServices(again)).allMatch(DevnetHealth.Probe::healthy);
        assertThat(again.rpc()).isEqualTo(info.rpc());
        assertThat(DevnetLauncher.anvil(config).orElseThrow().pid()).isNotEqualTo(anvil.pid());
    }

    @Test
    void downStopsAnvilEvenWhenTheDaemonWasKilled() throws Exception {
        DevnetConfig config = config("killed", DevnetPorts.findFree());
        launcher.up(config);
        ProcessHandle daemon = DevnetLauncher.daemon(config).orElseThrow();
        ProcessHandle anvil = DevnetLauncher.anvil(config).orElseThrow();
        daemon.destroyForcibly(); // SIGKILL: no shutdown hook, anvil is orphaned
        daemon.onExit().get(10, TimeUnit.SECONDS);
        assertThat(anvil.isAlive()).isTrue();

        assertThat(launcher.down(config)).isTrue();
        anvil.onExit().get(20, TimeUnit.SECONDS);
        assertThat(anvil.isAlive()).isFalse();
        assertThat(config.anvilPidFile()).doesNotExist();
    }

    @Test
    void aStartFailureIsReportedWithTheDaemonsReason() throws Exception {
        DevnetConfig config = config("broken", DevnetPorts.findFree());
        Files.createDirectories(config.dir());
        Files.writeString(config.chainStateFile(), "not a chain state");
        assertThatThrownBy(() -> launcher.up(config)).isInstanceOf(DevnetException.class)
                .hasMessageContaining("failed to start").hasMessageContaining("daemon.log");
        assertThat(DevnetLauncher.daemon(config)).isEmpty();
        assertThat(DevnetLauncher.anvil(config)).isEmpty();
    }

    private static JsonNode rpc(String url, String method, String params) throws Exception {
        HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(res.body());
        assertThat(json.has("error")).as(res.body()).isFalse();
        return json.path("result");
    }
}
