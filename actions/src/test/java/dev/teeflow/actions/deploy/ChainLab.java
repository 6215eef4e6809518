package dev.teeflow.actions.deploy;

import dev.teeflow.actions.order.OrderPublishStep;
import dev.teeflow.actions.testing.TestPipelines;
import dev.teeflow.actions.testing.YamlTree;
import dev.teeflow.devnet.chain.DevChain;
import dev.teeflow.devnet.chain.DevChainConfig;
import dev.teeflow.devnet.market.MarketServer;
import dev.teeflow.devnet.market.RpcMarketChain;
import dev.teeflow.devnet.sms.RpcOwnerLookup;
import dev.teeflow.devnet.sms.SmsServer;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A real devnet for chain step tests, on 127.0.0.1: anvil with the real PoCo (DevChain), the devnet
 * market API and SMS, plus helpers to expand a pipeline and run it through the real engine.
 */
final class ChainLab implements AutoCloseable {
    static final TxSettings FAST = new TxSettings(Duration.ofMillis(100), Duration.ofMillis(1500), Duration.ofSeconds(2));

    final DevChain chain;
    final MarketServer market;
    final SmsServer sms;
    final RpcMarketChain marketChain;
    final RpcOwnerLookup owners;

    ChainLab(Path dataDir) {
        chain = DevChain.start(DevChainConfig.defaults().withPort(0));
        String hub = chain.manifest().hub();
        marketChain = new RpcMarketChain(chain.rpcUrl(), hub);
        market = MarketServer.start(0, chain.chainId(), hub, marketChain);
        owners = new RpcOwnerLookup(chain.rpcUrl());
        sms = SmsServer.start(dataDir.resolve("sms"), 0, owners);
    }

    /** The pipeline header that targets this lab's chain with a private-key wallet. */
    String header(String name) {
        return """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: %s
                target: lab
                chains:
                  lab: { id: %d, rpc: "%s", hub: "%s", sms: "%s", market: "%s" }
                wallet: { private-key: env:PRIVATE_KEY }
                """.formatted(name, chain.chainId(), chain.rpcUrl(), chain.manifest().hub(), sms.url(), market.url());
    }

    /** Every step type of the class path, chain steps with short receipt timeouts, plus {@link FixedOutputs}. */
    static Registry registry() {
        Registry loaded = Registry.load();
        Map<String, StepType> types = new LinkedHashMap<>(loaded.stepTypes());
        for (StepType t : List.of(new AppDeployStep(FAST), new DatasetDeployStep(FAST), new WorkerpoolDeployStep(FAST),
                new OrderPublishStep(FAST), new FixedOutputs())) {
            types.put(t.id(), t);
        }
        return Registry.of(types.values(), loaded.sectionTypes().values());
    }

    /** Expands the file's sections; {@code edit} may replace steps (e.g. the docker ones) before the engine sees them. */
    static Map<String, StepSpec> expand(Path project, String yaml, UnaryOperator<Map<String, StepSpec>> edit) throws Exception {
        ConfigNode root = YamlTree.parse(project, yaml);
        Registry registry = registry();
        Problems problems = new Problems();
        Map<String, StepSpec> steps = TestPipelines.expand(root, registry, problems);
        problems.throwIfAny();
        return edit.apply(steps);
    }

    static Engine engine(Path project, Map<String, StepSpec> steps, Map<String, String> env, List<String> logs) {
        return engine(project, steps, env, logs, registry());
    }

    static Engine engine(Path project, Map<String, StepSpec> steps, Map<String, String> env, List<String> logs, Registry registry) {
        return TestPipelines.engine("lab", project, steps, registry, env, logs);
    }

    /** Replaces the docker steps of app {@code name} (build, tee, push) by fixed outputs: no Docker needed. */
    static Map<String, StepSpec> withFakeImage(Map<String, StepSpec> steps, String name, String framework, String checksum) {
        Map<String, StepSpec> out = new LinkedHashMap<>(steps);
        out.remove("app." + name + ".build");
        out.put("app." + name + ".tee", StepSpec.of("app." + name + ".tee", FixedOutputs.ID,
                Map.of("framework", framework, "mrenclave", "")));
        out.put("app." + name + ".push", StepSpec.of("app." + name + ".push", FixedOutputs.ID,
                Map.of("multiaddr", "127.0.0.1:5000/" + name + ":1.0.0-tdx-0123456789ab", "checksum", checksum)));
        return out;
    }

    /** A JSON-RPC call on the lab chain (evm_setAutomine, evm_mine...). */
    String rpc(String method, String params) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(chain.rpcUrl()))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method
                        + "\",\"params\":[" + params + "]}")).build(), HttpResponse.BodyHandlers.ofString());
        if (response.body().contains("\"error\"")) {
            throw new IllegalStateException(method + ": " + response.body());
        }
        return response.body();
    }

    @Override
    public void close() {
        sms.close();
        market.close();
        marketChain.close();
        owners.close();
        chain.close();
    }

    /** A pure test step whose outputs are its inputs (stands in for Docker build/tee/push). */
    static final class FixedOutputs implements StepType {
        static final String ID = "test.fixed-outputs";

        @Override
        public String id() {
            return ID;
        }

        @Override
        public Effect effect() {
            return Effect.PURE;
        }

        @Override
        public Set<String> outputNames(StepSpec spec) {
            return spec.inputs().keySet();
        }

        @Override
        public Outputs run(StepContext context) {
            return Outputs.of(new LinkedHashMap<>(context.inputs().asMap()));
        }
    }

    static List<String> lines() {
        return java.util.Collections.synchronizedList(new ArrayList<>());
    }
}
