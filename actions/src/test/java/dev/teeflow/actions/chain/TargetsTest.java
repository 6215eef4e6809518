package dev.teeflow.actions.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.actions.testing.YamlTree;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Inputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetsTest {
    @TempDir
    Path project;
    @TempDir
    Path home;

    private ChainConfig resolve(ConfigNode root) {
        Problems problems = new Problems();
        Map<String, Object> input = Targets.inputFor(root, problems);
        assertThat(problems.all()).isEmpty();
        return new ChainResolver(home).chain(Inputs.of("test", project, input), project);
    }

    private List<String> problemsOf(String yaml) throws Exception {
        ConfigNode root = YamlTree.parse(project, yaml);
        Problems problems = new Problems();
        List<StepSpec> steps = new ArrayList<>();
        for (var section : List.of(new TargetSection(), new ChainsSection(), new WalletSection())) {
            ConfigNode node = root.get(section.key());
            if (node != null) {
                section.expand(node, root, problems, steps::add);
            }
        }
        assertThat(steps).as("these sections emit no steps").isEmpty();
        return problems.all().stream().map(Object::toString).toList();
    }

    @Test
    void builtInArbitrumSepoliaComesFromTheSdkDefaults() throws Exception {
        ChainConfig c = resolve(YamlTree.parse(project, "target: arbitrum-sepolia\nwallet: { private-key: env:K }\n"));
        assertThat(c.chainId()).isEqualTo(421614);
        assertThat(c.hub()).isEqualTo("0xB2157BF2fAb286b2A4170E3491Ac39770111Da3E");
        assertThat(c.rpc()).isEqualTo("https://sepolia-rollup.arbitrum.io/rpc");
        assertThat(c.smsUrl("tdx")).hasToString("https://sms.arbitrum-sepolia-testnet.iex.ec");
        assertThat(c.market()).isEqualTo("https://api-market.arbitrum-sepolia-testnet.iex.ec");
        assertThat(c.teeFramework()).isEqualTo("tdx");
        assertThat(c.devnet()).isFalse();
    }

    @Test
    void theSdkNamesOfBuiltInChainsWorkToo() throws Exception {
        ChainConfig c = resolve(YamlTree.parse(project, "target: arbitrum-mainnet\nwallet: { private-key: env:K }\n"));
        assertThat(c.name()).isEqualTo("arbitrum");
        assertThat(c.chainId()).isEqualTo(42161);
    }

    @Test
    void bellecourIsSconeOnlyAndSaysSoWhenAskedForTdx() throws Exception {
        ChainConfig c = resolve(YamlTree.parse(project, "target: bellecour\nwallet: { private-key: env:K }\n"));
        assertThat(c.chainId()).isEqualTo(134);
        assertThat(c.smsUrl()).hasToString("https://sms.iex.ec");
        assertThatThrownBy(() -> c.smsUrl("tdx")).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("no SMS for TEE framework 'tdx'").hasMessageContaining("scone");
    }

    @Test
    void aPipelineEntryOverridesOneFieldOfABuiltInChain() throws Exception {
        ConfigNode root = YamlTree.parse(project, """
                target: bellecour
                wallet: { private-key: env:K }
                chains:
                  bellecour:
                    sms: { scone: "https://sms.scone-debug.v8-bellecour.iex.ec" }
                    workerpool: debug-v8-bellecour.main.pools.iexec.eth
                """);
        assertThat(problemsOf(Files.readString(project.resolve("teeflow.yml")))).isEmpty();
        ChainConfig c = resolve(root);
        assertThat(c.smsUrl("scone")).hasToString("https://sms.scone-debug.v8-bellecour.iex.ec");
        assertThat(c.workerpool()).isEqualTo("debug-v8-bellecour.main.pools.iexec.eth");
        assertThat(c.hub()).isEqualTo("0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f");
    }

    @Test
    void aUserChainIsDefinedInline() throws Exception {
        ConfigNode root = YamlTree.parse(project, """
                target: mychain
                wallet: { private-key: env:K }
                chains:
                  mychain:
                    id: 65535
                    rpc: http://10.0.0.5:8545
                    hub: "0x00000000000000000000000000000000000000aa"
                    sms: http://10.0.0.5:13300
                    workerpool: "0x00000000000000000000000000000000000000bb"
                """);
        ChainConfig c = resolve(root);
        assertThat(c.chainId()).isEqualTo(65535);
        assertThat(c.smsUrl("scone")).hasToString("http://10.0.0.5:13300");
        assertThat(c.smsUrl("tdx")).hasToString("http://10.0.0.5:13300");
        assertThat(Targets.inputFor(root, new Problems())).containsKey("entry");
    }

    @Test
    void anIexecSdkChainJsonInTheProjectIsRead() throws Exception {
        Files.writeString(project.resolve("chain.json"), """
                {"default": "arbitrum-sepolia-testnet", "chains": {
                  "arbitrum-sepolia-testnet": {"sms": "http://sms.example.org"},
                  "local": {"id": "1337", "host": "http://127.0.0.1:8545", "hub": "0x00000000000000000000000000000000000000cc",
                            "sms": {"scone": "http://127.0.0.1:5000"}, "iexecGateway": "http://127.0.0.1:3000"}}}
                """);
        ChainConfig sepolia = resolve(YamlTree.parse(project, "target: arbitrum-sepolia\nwallet: { private-key: env:K }\n"));
        assertThat(sepolia.smsUrl()).hasToString("http://sms.example.org");
        assertThat(sepolia.chainId()).isEqualTo(421614);
        ConfigNode local = YamlTree.parse(project, "target: local\nwallet: { private-key: env:K }\n");
        assertThat(problemsOf("target: local\nwallet: { private-key: env:K }\n")).isEmpty();
        ChainConfig c = resolve(local);
        assertThat(c.chainId()).isEqualTo(1337);
        assertThat(c.market()).isEqualTo("http://127.0.0.1:3000");
        assertThat(c.smsUrl("scone")).hasToString("http://127.0.0.1:5000");
    }

    @Test
    void chainsMayComeFromAFile() throws Exception {
        Files.writeString(project.resolve("chains.yaml"), """
                lab:
                  id: 31337
                  rpc: http://127.0.0.1:8545
                  hub: "0x00000000000000000000000000000000000000dd"
                  sms: { tdx: "http://127.0.0.1:13300" }
                """);
        String yaml = "target: lab\nchains: chains.yaml\nwallet: { private-key: env:K }\n";
        assertThat(problemsOf(yaml)).isEmpty();
        ConfigNode root = YamlTree.parse(project, yaml);
        ChainConfig c = resolve(root);
        assertThat(c.chainId()).isEqualTo(31337);
        Inputs chainInput = Inputs.of("t", project, Targets.inputFor(root, new Problems()));
        assertThat(ChainResolver.inputFiles(chainInput)).extracting(f -> f.path().getFileName().toString())
                .containsExactly("chains.yaml");
    }

    @Test
    void anUnknownTargetIsReportedWithItsLineAndASuggestion() throws Exception {
        List<String> problems = problemsOf("name: x\ntarget: arbitrum-sepolai\nwallet: { private-key: env:K }\n");
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains("teeflow.yml:2:9").contains("unknown chain 'arbitrum-sepolai'")
                .contains("did you mean 'arbitrum-sepolia'?");
    }

    @Test
    void anUnknownTargetAtRunTimeSuggestsToo() {
        Inputs input = Inputs.of("t", project, Map.of("name", "belecour"));
        assertThatThrownBy(() -> new ChainResolver(home).chain(input, project))
                .hasMessageContaining("unknown chain 'belecour'").hasMessageContaining("did you mean 'bellecour'?");
    }

    @Test
    void aNewChainNeedsItsCoreFieldsAndKnownFrameworks() throws Exception {
        List<String> problems = problemsOf("""
                target: mine
                wallet: { private-key: env:K }
                chains:
                  mine:
                    id: 5
                    rpc: ftp://nope
                    sms: { sgx: "http://a" }
                    tee-framwork: tdx
                """);
        assertThat(problems).anyMatch(p -> p.contains("teeflow.yml:5:5") && p.contains("a new chain needs hub"));
        assertThat(problems).anyMatch(p -> p.contains("chains.mine.rpc") && p.contains("http:// or https:// URL"));
        assertThat(problems).anyMatch(p -> p.contains("unknown TEE framework 'sgx'"));
        assertThat(problems).anyMatch(p -> p.contains("unknown field 'tee-framwork'") && p.contains("did you mean 'tee-framework'?"));
    }

    @Test
    void theDevnetIsReadFromItsInfoFile() throws Exception {
        DevnetInfo info = devnetInfo();
        info.write(DevnetInfo.file(home, "default"));
        assertThat(Files.getPosixFilePermissions(DevnetInfo.file(home, "default")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        ChainConfig c = resolve(YamlTree.parse(project, "name: x\n"));
        assertThat(c.name()).isEqualTo("devnet");
        assertThat(c.devnet()).isTrue();
        assertThat(c.chainId()).isEqualTo(65535);
        assertThat(c.smsUrl("scone")).hasToString("http://127.0.0.1:13300");
        assertThat(c.registry("app")).contains("0x00000000000000000000000000000000000000a1");
        assertThat(c.workerpool()).isEqualTo("0x00000000000000000000000000000000000000f1");
        assertThat(info.toString()).doesNotContain(info.accounts().get(0).privateKey().substring(2));
    }

    @Test
    void noRunningDevnetIsAClearError() {
        Inputs input = Inputs.of("t", project, Map.of("name", "devnet"));
        assertThatThrownBy(() -> new ChainResolver(home).chain(input, project))
                .hasMessageContaining("devnet 'default' is not running").hasMessageContaining("teeflow devnet up");
    }

    static DevnetInfo devnetInfo() {
        return new DevnetInfo("default", 65535, "http://127.0.0.1:8545", "0x00000000000000000000000000000000000000a0",
                "0x00000000000000000000000000000000000000a1", "0x00000000000000000000000000000000000000a2",
                "0x00000000000000000000000000000000000000a3", "0x00000000000000000000000000000000000000a4",
                "http://127.0.0.1:13300", "http://127.0.0.1:3000", "http://127.0.0.1:8080", "http://127.0.0.1:8081",
                "0x00000000000000000000000000000000000000f1", null,
                List.of(new DevnetInfo.Account("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
                                "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"),
                        new DevnetInfo.Account("0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
                                "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")));
    }
}
