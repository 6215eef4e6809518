package dev.teeflow.actions.dataset;

import dev.teeflow.actions.chain.Targets;
import dev.teeflow.actions.chain.Wallets;
import dev.teeflow.actions.deploy.DatasetDeployStep;
import dev.teeflow.actions.order.OrderBlocks;
import dev.teeflow.actions.order.OrderPublishStep;
import dev.teeflow.actions.secrets.DatasetKeyStep;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.InputValues;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The on-chain parts of a dataset: {@code deploy} ({@code dataset.<name>.deploy}, from the published URL
 * and the ciphertext's checksum), {@code push-secret} ({@code dataset.<name>.push-secret}, the key to the
 * SMS; on by default for a deployed dataset, since a TEE task cannot use it otherwise) and {@code order}
 * ({@code dataset.<name>.order}).
 * <pre>
 * dataset:
 *   emails:
 *     file: data/emails.xlsx
 *     publish: { git: { remote: ..., token: env:GH_TOKEN } }
 *     deploy: true                  # or { name: emails, deployed-json: true }
 *     push-secret: true             # default with deploy; false, or { tee-framework: scone }
 *     order: { price: 0, volume: 1000, app-restrict: ${{ app.checker.deploy.address }} }
 * </pre>
 */
final class DatasetChainContributors {
    static final String DEPLOY = "deploy";

    private DatasetChainContributors() {
    }

    static boolean deployed(DatasetBlock dataset) {
        return OrderBlocks.wanted(dataset.node().get(DEPLOY));
    }

    private static StepSpec step(DatasetBlock dataset, String step, String type, Map<String, Object> inputs, ConfigNode at) {
        return new StepSpec(dataset.address(step), type, inputs, Set.of(), false, at.location(), at);
    }

    static final class Deploy implements DatasetStepContributor {
        @Override
        public void contribute(DatasetBlock dataset, MapReader fields, Problems problems, Consumer<StepSpec> emit) {
            Optional<ConfigNode> written = fields.node(DEPLOY);
            if (written.isEmpty() || !OrderBlocks.wanted(written.get())) {
                return;
            }
            ConfigNode block = written.get();
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("name", dataset.name());
            boolean explicitUrl = false;
            if (block.isMap()) {
                MapReader r = new MapReader(block, problems);
                for (String key : new String[] {"name", "multiaddr", "checksum"}) {
                    r.node(key).ifPresent(n -> inputs.put(key, InputValues.read(n, problems)));
                }
                if (r.has("deployed-json")) {
                    inputs.put("deployed-json", r.bool("deployed-json", false));
                }
                explicitUrl = r.has("multiaddr");
                r.rejectUnknownKeys();
            } else if (!(block.isScalar() && Boolean.TRUE.equals(block.value()))) {
                problems.error(block, "expected true, false or a map (name, deployed-json), found " + block.describeKind());
                return;
            }
            if (!explicitUrl && dataset.node().get(PublishContributor.STEP) == null) {
                problems.error(block, "deploying dataset " + dataset.name() + " needs a download URL for its ciphertext:"
                        + " add a publish: block (or give deploy.multiaddr)");
            }
            inputs.putIfAbsent("multiaddr", dataset.output(PublishContributor.STEP, "url"));
            inputs.putIfAbsent("checksum", dataset.output(EncryptContributor.STEP, "checksum"));
            inputs.put("chain", Targets.inputFor(dataset.root(), problems));
            inputs.put("wallet", Wallets.inputFor(dataset.root(), problems));
            emit.accept(step(dataset, DEPLOY, DatasetDeployStep.ID, inputs, block));
        }
    }

    static final class PushSecret implements DatasetStepContributor {
        @Override
        public void contribute(DatasetBlock dataset, MapReader fields, Problems problems, Consumer<StepSpec> emit) {
            Optional<ConfigNode> written = fields.node("push-secret");
            if (!deployed(dataset)) {
                written.filter(OrderBlocks::wanted).ifPresent(n -> problems.error(n,
                        "'push-secret' needs the dataset on chain: add 'deploy: true' to dataset " + dataset.name()));
                return;
            }
            if (written.isPresent() && !OrderBlocks.wanted(written.get())) {
                return; // push-secret: false
            }
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("dataset", dataset.output(DEPLOY, "address"));
            inputs.put("key", dataset.output(EncryptContributor.STEP, "key"));
            ConfigNode at = written.orElse(dataset.node());
            if (written.isPresent() && written.get().isMap()) {
                MapReader r = new MapReader(written.get(), problems);
                r.optionalString("tee-framework").ifPresent(f -> inputs.put("tee-framework", f));
                r.rejectUnknownKeys();
            } else if (written.isPresent() && !Boolean.TRUE.equals(written.get().value())) {
                problems.error(written.get(), "expected true, false or { tee-framework: tdx|scone }, found "
                        + written.get().describeKind());
            }
            inputs.put("chain", Targets.inputFor(dataset.root(), problems));
            inputs.put("wallet", Wallets.inputFor(dataset.root(), problems));
            emit.accept(step(dataset, "push-secret", DatasetKeyStep.ID, inputs, at));
        }
    }

    static final class Order implements DatasetStepContributor {
        @Override
        public void contribute(DatasetBlock dataset, MapReader fields, Problems problems, Consumer<StepSpec> emit) {
            Optional<ConfigNode> block = fields.node("order");
            if (block.isEmpty() || !OrderBlocks.wanted(block.get())) {
                return;
            }
            if (!deployed(dataset)) {
                problems.error(block.get(), "'order' needs the dataset on chain: add 'deploy: true' to dataset " + dataset.name());
            }
            Map<String, Object> inputs = OrderBlocks.inputs("dataset", dataset.output(DEPLOY, "address"), block.get(),
                    dataset.root(), problems);
            emit.accept(step(dataset, "order", OrderPublishStep.ID, inputs, block.get()));
        }
    }
}
