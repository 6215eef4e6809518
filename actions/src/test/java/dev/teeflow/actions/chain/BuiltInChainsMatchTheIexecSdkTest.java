package dev.teeflow.actions.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.actions.testing.IexecCliInstall;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * teeflow's built-in public chains against the defaults of the iExec SDK that scripts/install-iexec-cli.sh
 * pins: a hub, SMS or gateway address copied wrong would send a user's deploys and secrets to the wrong place,
 * and no test here may reach those networks to find out.
 */
class BuiltInChainsMatchTheIexecSdkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everySdkNetworkIsBuiltInWithTheSameIdRpcHubSmsMarketGatewayAndCompass() throws Exception {
        JsonNode sdk = sdkDefaults();
        assertThat(sdk.size()).as("networks in the SDK").isGreaterThanOrEqualTo(2);
        for (JsonNode network : sdk) {
            String sdkName = network.path("name").asText();
            ChainConfig ours = BuiltInChains.get(sdkName)
                    .orElseThrow(() -> new AssertionError("the SDK knows '" + sdkName + "', teeflow does not"));
            assertThat(ours.chainId()).as(sdkName + " id").isEqualTo(network.path("id").asLong());
            assertThat(ours.rpc()).as(sdkName + " host").isEqualTo(network.path("host").asText());
            assertThat(ours.hub()).as(sdkName + " hub").isEqualToIgnoringCase(network.path("hub").asText());
            assertThat(ours.smsUrl().toString()).as(sdkName + " sms").isEqualTo(network.path("sms").asText());
            assertThat(ours.market()).as(sdkName + " iexecGateway").isEqualTo(network.path("iexecGateway").asText());
            assertThat(ours.ipfsGateway()).as(sdkName + " ipfsGateway").isEqualTo(network.path("ipfsGateway").asText());
            assertThat(ours.compass()).as(sdkName + " compass").isEqualTo(network.path("compass").asText());
        }
    }

    /** The SDK's own answer, from its module, through Node: [{id, name, host, hub, sms, iexecGateway, ...}]. */
    private static JsonNode sdkDefaults() throws Exception {
        Path config = IexecCliInstall.home().resolve("node_modules/iexec/dist/esm/common/utils/config.js");
        assertThat(config).as("the iExec SDK (run scripts/install-iexec-cli.sh)").exists();
        String script = "const c = await import(process.argv[1]);"
                + "const ids = [421614, 42161, 134];"
                + "console.log(JSON.stringify(ids.map(id => ({ id, ...c.getChainDefaults(id) })).filter(n => n.hub)));";
        Process node = new ProcessBuilder("node", "--input-type=module", "-e", script, config.toUri().toString())
                .redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(out).isZero();
        return JSON.readTree(out);
    }
}
