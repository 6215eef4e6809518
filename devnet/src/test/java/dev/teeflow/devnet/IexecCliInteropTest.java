package dev.teeflow.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeflow.devnet.chain.CacheDir;
import dev.teeflow.protocol.devnet.DevnetInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fidelity proof: the official iexec CLI (npm iexec 9.x, unchanged) against a devnet on free ports, configured only
 * with the chain.json of {@code teeflow devnet env} and a wallet for dev account 3 (the default user).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IexecCliInteropTest {
    private Devnet devnet;
    private DevnetInfo info;
    private IexecCli iexec;
    private String app;
    private String dataset;

    @BeforeAll
    void startDevnetAndProject(@TempDir Path tmp) throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        iexec = IexecCli.in(project); // fails first when the CLI is missing: no devnet started for nothing
        DevnetConfig config = new DevnetConfig("interop", tmp.resolve("home/devnet/interop"), DevnetPorts.findFree(),
                134134, CacheDir.resolve());
        devnet = Devnet.start(config, line -> { });
        info = devnet.info();
        // what a user does: `iexec init`, then replace its chain.json by the one `teeflow devnet env` prints and
        // run the wallet import line it prints
        iexec.ok("init", "--skip-wallet");
        Files.writeString(project.resolve("chain.json"), IexecCliConfig.chainJson(info));
        String[] importLine = IexecCliConfig.walletImportCommand(info.account("user")).split(" ");
        iexec.ok(List.of(importLine).subList(1, importLine.length).toArray(String[]::new));
        iexec.ok("app", "init");
        iexec.ok("dataset", "init");
    }

    @AfterAll
    void stopDevnet() {
        if (devnet != null) {
            devnet.close();
        }
    }

    @Test
    @Order(1)
    void appDeployRegistersTheAppOnTheDevnetAndAppShowReadsItBack() {
        JsonNode deployed = iexec.ok("app", "deploy");
        app = deployed.path("address").asText();
        assertThat(app).startsWith("0x").hasSize(42);
        assertThat(deployed.path("txHash").asText()).startsWith("0x");

        JsonNode shown = iexec.ok("app", "show", app);
        assertThat(shown.path("app").path("owner").asText()).isEqualToIgnoringCase(info.account("user").address());
        assertThat(shown.path("app").path("registry").asText()).isEqualToIgnoringCase(info.appRegistry());
        assertThat(shown.path("app").path("appMultiaddr").asText()).isEqualTo("iexechub/python-hello-world:8.0.4");
    }

    @Test
    @Order(2)
    void datasetDeployRegistersTheDatasetAndDatasetShowReadsItBack() {
        JsonNode deployed = iexec.ok("dataset", "deploy");
        dataset = deployed.path("address").asText();
        assertThat(dataset).startsWith("0x").hasSize(42);

        JsonNode shown = iexec.ok("dataset", "show", dataset);
        assertThat(shown.path("dataset").path("owner").asText()).isEqualToIgnoringCase(info.account("user").address());
        assertThat(shown.path("dataset").path("registry").asText()).isEqualToIgnoringCase(info.datasetRegistry());
    }

    @Test
    @Order(3)
    void datasetPushSecretStoresTheKeyOnceAndCheckSecretSeesIt() throws Exception {
        Path key = Files.createDirectories(iexec.project().resolve(".secrets/datasets")).resolve("dataset.key");
        Files.writeString(key, "uIVWpmD8fXkQyVY5mWtO2x9FbmO9lYPEcVGz1b9Wc0g=\n");

        assertThat(iexec.ok("dataset", "check-secret", dataset).path("isSecretSet").asBoolean()).isFalse();
        iexec.ok("dataset", "push-secret", dataset, "--secret-path", key.toString());
        assertThat(iexec.ok("dataset", "check-secret", dataset).path("isSecretSet").asBoolean()).isTrue();
        assertThat(devnet.sms().secrets().datasetKey(dataset)).isPresent();

        JsonNode again = iexec.run("dataset", "push-secret", dataset, "--secret-path", key.toString());
        assertThat(again.path("ok").asBoolean()).isFalse();
        assertThat(again.path("error").path("message").asText()).contains("already exists");
    }

    @Test
    @Order(4)
    void requesterPushSecretStoresANamedSecretAndCheckSecretSeesIt() {
        assertThat(iexec.ok("requester", "check-secret", "my-email").path("isSet").asBoolean()).isFalse();
        assertThat(iexec.ok("requester", "push-secret", "my-email", "--secret-value", "someone@example.org")
                .path("isPushed").asBoolean()).isTrue();
        assertThat(iexec.ok("requester", "check-secret", "my-email").path("isSet").asBoolean()).isTrue();
        assertThat(iexec.ok("requester", "check-secret", "other-name").path("isSet").asBoolean()).isFalse();
    }

    @Test
    @Order(5)
    void resultPushEncryptionKeyStoresTheBeneficiaryKey() {
        assertThat(iexec.ok("result", "check-encryption-key").path("isEncryptionKeySet").asBoolean()).isFalse();
        iexec.ok("result", "generate-encryption-keypair");
        JsonNode pushed = iexec.ok("result", "push-encryption-key");
        assertThat(pushed.path("isPushed").asBoolean()).isTrue();
        assertThat(iexec.ok("result", "check-encryption-key").path("isEncryptionKeySet").asBoolean()).isTrue();
    }

    @Test
    @Order(6)
    void orderSignAndPublishPutTheAppAndDatasetOrdersInTheOrderbook() {
        iexec.ok("order", "init", "--app", "--dataset");
        JsonNode signed = iexec.ok("order", "sign", "--app", "--dataset", "--skip-preflight-check");
        assertThat(signed.path("apporder").path("sign").asText()).startsWith("0x");
        JsonNode published = iexec.ok("order", "publish", "--app", "--dataset", "--skip-preflight-check", "--force");
        String appOrderHash = published.path("apporder").path("orderHash").asText();
        String datasetOrderHash = published.path("datasetorder").path("orderHash").asText();
        assertThat(appOrderHash).startsWith("0x").hasSize(66);

        JsonNode appBook = iexec.ok("orderbook", "app", app, "--tag", "tee,tdx");
        assertThat(hashes(appBook.path("appOrders"))).containsExactly(appOrderHash);
        JsonNode datasetBook = iexec.ok("orderbook", "dataset", dataset, "--tag", "tee,tdx");
        assertThat(hashes(datasetBook.path("datasetOrders"))).containsExactly(datasetOrderHash);
        JsonNode shown = iexec.ok("order", "show", "--app", appOrderHash);
        assertThat(shown.path("apporder").path("signer").asText()).isEqualToIgnoringCase(info.account("user").address());
        assertThat(shown.path("apporder").path("status").asText()).isEqualTo("open");
    }

    @Test
    @Order(7)
    void orderbookWorkerpoolShowsTheDevnetWorkerpoolOrders() {
        JsonNode all = iexec.ok("orderbook", "workerpool");
        List<String> tags = new ArrayList<>();
        for (JsonNode o : all.path("workerpoolOrders")) {
            assertThat(o.path("workerpool").asText()).isEqualToIgnoringCase(info.workerpool());
            assertThat(o.path("remaining").asLong()).isGreaterThanOrEqualTo(1_000_000L);
            tags.add(o.path("tag").asText());
        }
        assertThat(tags).containsExactlyInAnyOrder(
                "0x0000000000000000000000000000000000000000000000000000000000000003", // tee,scone
                "0x0000000000000000000000000000000000000000000000000000000000000009", // tee,tdx
                "0x0000000000000000000000000000000000000000000000000000000000000000"); // standard

        JsonNode tdx = iexec.ok("orderbook", "workerpool", info.workerpool(), "--tag", "tee,tdx");
        assertThat(tdx.path("count").asInt()).isGreaterThanOrEqualTo(1);
    }

    private static List<String> hashes(JsonNode orders) {
        List<String> out = new ArrayList<>();
        orders.forEach(o -> out.add(o.path("orderHash").asText()));
        return out;
    }
}
