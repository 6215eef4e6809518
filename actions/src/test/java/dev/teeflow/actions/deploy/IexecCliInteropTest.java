package dev.teeflow.actions.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.actions.testing.IexecCliInstall;
import dev.teeflow.devnet.chain.DevAccounts;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official iExec CLI (npm {@code iexec} 9, installed by scripts/install-iexec-cli.sh) reads what teeflow
 * deployed and published on a lab devnet, through a chain.json naming the lab's RPC, hub, SMS and market.
 * Skipped when the CLI is not installed.
 */
class IexecCliInteropTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CHECKSUM = "0x" + "cd".repeat(32);

    @TempDir
    static Path labDir;
    static ChainLab lab;
    static Path iexec;

    @TempDir
    Path project;

    @BeforeAll
    static void start() {
        iexec = IexecCliInstall.binary();
        if (!Files.isExecutable(iexec)) {
            throw new IllegalStateException("the iExec CLI is not installed at " + iexec
                    + ": run scripts/install-iexec-cli.sh (bin/test does)");
        }
        lab = new ChainLab(labDir);
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void theIexecCliShowsWhatTeeflowDeployedAndPublished() throws Exception {
        int account = 3;
        Files.createDirectories(project.resolve("data"));
        Files.writeString(project.resolve("data/emails.csv"), "carol@example.org\n");
        String yaml = lab.header("interop") + """
                app:
                  checker:
                    push: { repository: 127.0.0.1:5000/checker, tag: "1.0.0" }
                    deploy: { deployed-json: true }
                    order: { volume: 7 }
                dataset:
                  emails:
                    file: data/emails.csv
                    publish: { file: { dir: published } }
                    deploy: { deployed-json: true }
                    order: { volume: 3, tag: [tee, tdx] }
                """;
        Map<String, StepSpec> steps = ChainLab.expand(project, yaml, s -> ChainLab.withFakeImage(s, "checker", "tdx", CHECKSUM));
        Map<String, String> env = Map.of("PRIVATE_KEY", DevAccounts.publicTestKey(account));
        Report report = ChainLab.engine(project, steps, env, ChainLab.lines()).apply(List.of(), List.of());
        assertThat(report.succeeded()).as(report.toString()).isTrue();
        Engine engine = ChainLab.engine(project, steps, env, ChainLab.lines());
        String app = engine.recordedOutputs("app.checker.deploy").string("address").orElseThrow();
        String dataset = engine.recordedOutputs("dataset.emails.deploy").string("address").orElseThrow();
        String appOrder = engine.recordedOutputs("app.checker.order").string("hash").orElseThrow();
        String datasetOrder = engine.recordedOutputs("dataset.emails.order").string("hash").orElseThrow();

        // the iExec SDK v9 chain.json (cli/utils/fs.js chainConfSchema: id, host, hub, sms, ipfsGateway, iexecGateway)
        Files.writeString(project.resolve("chain.json"), JSON.writeValueAsString(Map.of("default", "lab",
                "chains", Map.of("lab", Map.of("id", String.valueOf(lab.chain.chainId()), "host", lab.chain.rpcUrl(),
                        "hub", lab.chain.manifest().hub(), "sms", lab.sms.url().toString(),
                        "iexecGateway", lab.market.url().toString(), "ipfsGateway", "http://127.0.0.1:1")))));

        JsonNode appShow = cli("app", "show"); // no address: the CLI reads deployed.json
        assertThat(appShow.path("app").path("appName").asText()).isEqualTo("checker");
        assertThat(appShow.path("address").asText()).isEqualToIgnoringCase(app);
        assertThat(appShow.path("app").path("appChecksum").asText()).isEqualTo(CHECKSUM);
        assertThat(appShow.path("app").path("owner").asText()).isEqualToIgnoringCase(DevAccounts.address(account));

        JsonNode datasetShow = cli("dataset", "show", dataset);
        assertThat(datasetShow.path("dataset").path("datasetName").asText()).isEqualTo("emails");
        assertThat(datasetShow.path("dataset").path("datasetMultiaddr").asText())
                .isEqualTo(engine.recordedOutputs("dataset.emails.publish").string("url").orElseThrow());

        JsonNode book = cli("orderbook", "app", app);
        assertThat(book.toString()).containsIgnoringCase(appOrder);
        JsonNode shown = cli("order", "show", "--app", appOrder, "--dataset", datasetOrder);
        assertThat(shown.toString()).containsIgnoringCase(appOrder).containsIgnoringCase(datasetOrder)
                .contains("\"volume\":7").containsIgnoringCase(app).containsIgnoringCase(dataset);
    }

    @Test
    void theIexecCliNoLongerListsAnOrderRemovedFromTheFile() throws Exception {
        int account = 4;
        Files.createDirectories(project.resolve("data"));
        Files.writeString(project.resolve("data/emails.csv"), "dave@example.org\n");
        String base = lab.header("interop-revoke") + """
                dataset:
                  emails:
                    file: data/emails.csv
                    publish: { file: { dir: published } }
                    deploy: true
                """;
        Map<String, String> env = Map.of("PRIVATE_KEY", DevAccounts.publicTestKey(account));
        Map<String, StepSpec> withOrder = ChainLab.expand(project, base + "    order: { volume: 3, tag: [tee, tdx] }\n", s -> s);
        Report report = ChainLab.engine(project, withOrder, env, ChainLab.lines()).apply(List.of(), List.of());
        assertThat(report.succeeded()).as(report.toString()).isTrue();
        Engine engine = ChainLab.engine(project, withOrder, env, ChainLab.lines());
        String dataset = engine.recordedOutputs("dataset.emails.deploy").string("address").orElseThrow();
        String order = engine.recordedOutputs("dataset.emails.order").string("hash").orElseThrow();
        writeChainJson();
        assertThat(cli("orderbook", "dataset", dataset, "--app", "any").toString()).containsIgnoringCase(order);

        Report revoked = ChainLab.engine(project, ChainLab.expand(project, base, s -> s), env, ChainLab.lines())
                .apply(List.of(), List.of());

        assertThat(revoked.succeeded()).as(revoked.toString()).isTrue();
        JsonNode book = cli("orderbook", "dataset", dataset, "--app", "any");
        assertThat(book.toString()).doesNotContainIgnoringCase(order);
        assertThat(book.path("count").asInt(-1)).isZero();
    }

    private void writeChainJson() throws IOException {
        Files.writeString(project.resolve("chain.json"), JSON.writeValueAsString(Map.of("default", "lab",
                "chains", Map.of("lab", Map.of("id", String.valueOf(lab.chain.chainId()), "host", lab.chain.rpcUrl(),
                        "hub", lab.chain.manifest().hub(), "sms", lab.sms.url().toString(),
                        "iexecGateway", lab.market.url().toString(), "ipfsGateway", "http://127.0.0.1:1")))));
    }

    private JsonNode cli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(iexec.toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--chain", "lab", "--raw"));
        Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        String json = out.substring(out.indexOf('{'));
        JsonNode n = JSON.readTree(json);
        assertThat(n.path("ok").asBoolean()).as(out).isTrue();
        return n;
    }
}
