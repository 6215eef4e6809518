package dev.teeflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/email-checker/teeflow-ipfs.yml end to end on a devnet of its own: the dataset is added to the devnet's
 * IPFS node, deployed with an {@code /ipfs/<cid>} multiaddr that the official iexec CLI shows, and the devnet
 * worker fetches it through the gateway to run the task. Needs what {@link EmailCheckerEndToEndTest} needs, and
 * the official iexec CLI (scripts/install-iexec-cli.sh).
 */
class EmailCheckerIpfsEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern CID = Pattern.compile("/ipfs/(Qm[1-9A-HJ-NP-Za-km-z]{44})");
    static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

    @TempDir
    Path home;
    @TempDir
    Path work;

    @Test
    void theDatasetOnTheDevnetsIpfsRunsTheTaskAndTheIexecCliShowsItsMultiaddr() throws Exception {
        ExampleRuns.checkDockerParts();
        ExampleRuns runs = new ExampleRuns(home);
        JsonNode devnet = runs.devnetUp();
        try {
            Path project = ExampleRuns.copyOfTheExample(work);
            Files.copy(project.resolve("teeflow-ipfs.yml"), project.resolve("teeflow.yml"), StandardCopyOption.REPLACE_EXISTING);
            Map<String, String> env = Map.of("MY_EMAIL", "alice@example.org");

            ExampleRuns.Run apply = runs.teeflow(project, env, "apply", "--no-color");
            assertThat(apply.code()).as(apply.text()).isZero();
            assertThat(Files.readString(project.resolve("out/result.txt")).strip()).isEqualTo("This email is compromised!");

            ExampleRuns.Run publish = runs.teeflow(project, env, "state", "show", "dataset.emails.publish");
            Matcher cid = CID.matcher(publish.text());
            assertThat(cid.find()).as(publish.text()).isTrue();
            assertThat(dev.teeflow.protocol.ipfs.UnixFsCid.isCidV0(cid.group(1))).isTrue();
            ExampleRuns.Run deploy = runs.teeflow(project, env, "state", "show", "dataset.emails.deploy");
            Matcher address = ADDRESS.matcher(deploy.text());
            assertThat(address.find()).as(deploy.text()).isTrue();

            ExampleRuns.Run chainJson = runs.teeflow(home, Map.of(), "devnet", "env");
            assertThat(chainJson.code()).as(chainJson.text()).isZero();
            // the iexec CLI in a folder of its own: a chain.json beside teeflow.yml is one of teeflow's chain sources
            Path cli = Files.createDirectories(work.resolve("iexec-cli"));
            Files.writeString(cli.resolve("chain.json"), chainJson.text().substring(chainJson.text().indexOf('{'),
                    chainJson.text().lastIndexOf('}') + 1));
            JsonNode shown = iexec(cli, "dataset", "show", address.group());
            // the bytes on chain are multiaddr code 421 + the CID; the SDK's multiaddr library names code 421 "p2p"
            // (its newer name), so the CLI prints /p2p/<cid> for what teeflow and the worker write /ipfs/<cid>
            assertThat(shown.path("dataset").path("datasetMultiaddr").asText()).isIn("/ipfs/" + cid.group(1), "/p2p/" + cid.group(1));

            ExampleRuns.Run again = runs.teeflow(project, env, "apply", "--no-color");
            assertThat(again.code()).as(again.text()).isZero();
            assertThat(again.text()).doesNotContain("/api/v0/add").doesNotContain("matchOrders");
            assertThat(devnet.path("ipfsNode").asText()).isEqualTo(devnet.path("ipfsGateway").asText());
        } finally {
            runs.devnetDown();
        }
    }

    private static JsonNode iexec(Path project, String... args) throws Exception {
        String cache = System.getenv("TEEFLOW_CACHE");
        Path binary = (cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "teeflow"))
                .resolve("iexec-cli/node_modules/.bin/iexec");
        assertThat(binary).as("the official iexec CLI (scripts/install-iexec-cli.sh)").isExecutable();
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(binary.toString()));
        cmd.addAll(java.util.List.of(args));
        cmd.add("--raw");
        Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return JSON.readTree(out.substring(out.indexOf('{')));
    }
}
