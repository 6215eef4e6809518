package dev.teeflow.actions.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.protocol.devnet.DevnetInfo;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A chain's Compass URL (workerpool -> API, for {@code teeflow logs}): built in, from chain.json, from the pipeline. */
class ChainCompassTest {

    @Test
    void theArbitrumChainsHaveIexecsCompassAndBellecourHasNone() {
        assertThat(BuiltInChains.get("arbitrum-sepolia").orElseThrow().compass())
                .isEqualTo("https://compass.arbitrum-sepolia-testnet.iex.ec");
        assertThat(BuiltInChains.get("arbitrum").orElseThrow().compass()).isEqualTo("https://compass.arbitrum-mainnet.iex.ec");
        assertThat(BuiltInChains.get("bellecour").orElseThrow().compass()).isNull();
    }

    @Test
    void chainJsonAndThePipelineSetItLayerByLayer() {
        ChainEntry builtIn = BuiltInChains.entry("bellecour").orElseThrow();
        ChainEntry sdk = ChainEntry.fromSdk("chain.json", Map.of("compass", "http://127.0.0.1:1"));
        assertThat(builtIn.with(sdk).toConfig("bellecour").compass()).isEqualTo("http://127.0.0.1:1");
        ChainEntry pipeline = ChainEntry.fromPipeline("teeflow.yml", Map.of("compass", "http://127.0.0.1:2"));
        assertThat(builtIn.with(sdk).with(pipeline).toConfig("bellecour").compass()).isEqualTo("http://127.0.0.1:2");
        assertThat(builtIn.with(ChainEntry.fromPipeline("teeflow.yml", Map.of("rpc", "http://x")))
                .toConfig("bellecour").compass()).isNull();
    }

    @Test
    void aDevnetInfoFileGivesItsCompass() {
        DevnetInfo info = new DevnetInfo("default", 65535, "http://127.0.0.1:8545", "0x00000000000000000000000000000000000000a0",
                null, null, null, null, "http://127.0.0.1:8546", null, null, null, null, "http://127.0.0.1:8550",
                "http://127.0.0.1:8550", null, java.util.List.of());
        assertThat(ChainResolver.entryOf(info).toConfig("devnet").compass()).isEqualTo("http://127.0.0.1:8550");
    }

    @Test
    void aPipelineEntryWithAnUnknownFieldStillNamesCompassAmongTheKnownOnes() {
        assertThatThrownBy(() -> ChainEntry.fromPipeline("teeflow.yml", Map.of("compas", "http://x")))
                .isInstanceOf(TeeflowException.class).hasMessageContaining("unknown field 'compas'");
        assertThat(ChainEntry.PIPELINE_FIELDS).contains("compass");
    }
}
