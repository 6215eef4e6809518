package dev.teeflow.actions.app;

import dev.teeflow.actions.chain.Targets;
import dev.teeflow.actions.chain.Wallets;
import dev.teeflow.actions.deploy.AppDeployStep;
import dev.teeflow.actions.order.OrderBlocks;
import dev.teeflow.actions.order.OrderPublishStep;
import dev.teeflow.actions.secrets.AppSecretStep;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.InputValues;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.model.StepSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The on-chain parts of an app block: {@code deploy} ({@code app.<name>.deploy}), {@code secret}
 * ({@code app.<name>.push-secret}) and {@code order} ({@code app.<name>.order}).
 * <pre>
 * app:
 *   checker:
 *     push: { repository: ..., tag: 1.0.0 }
 *     deploy: true                 # or { name: email-checker, deployed-json: true }
 *     secret: env:APP_SECRET       # the app developer secret (IEXEC_APP_DEVELOPER_SECRET)
 *     order: { price: 0, volume: 1000, workerpool-restrict: "0x..." }
 * </pre>
 * Nothing goes on chain unless the block says {@code deploy}: a transaction costs money on a real
 * chain. {@code secret} and {@code order} need {@code deploy} (they refer to the app's address).
 */
final class AppChainParts {
    static final String DEPLOY = "deploy";

    private AppChainParts() {
    }

    /** The app's deploy block when the app is to be deployed. */
    static Optional<ConfigNode> deployBlock(AppDeclaration app) {
        ConfigNode n = app.node().get(DEPLOY);
        return OrderBlocks.wanted(n) ? Optional.of(n) : Optional.empty();
    }

    static void requireDeploy(AppDeclaration app, ConfigNode block, String what) {
        if (deployBlock(app).isEmpty()) {
            app.problems().error(block, "'" + what + "' needs the app on chain: add 'deploy: true' to app "
                    + app.name());
        }
    }

    static final class Deploy implements AppPart {
        @Override
        public String key() {
            return DEPLOY;
        }

        @Override
        public void expand(AppDeclaration app, Consumer<StepSpec> emit) {
            Optional<ConfigNode> written = app.block(key());
            if (written.isEmpty() || !OrderBlocks.wanted(written.get())) {
                return;
            }
            ConfigNode block = written.get();
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("name", app.name());
            boolean explicitImage = false;
            if (block.isMap()) {
                MapReader r = new MapReader(block, app.problems());
                app.copy(r, inputs, "name", "multiaddr", "checksum", "mrenclave");
                if (r.has("deployed-json")) {
                    inputs.put("deployed-json", r.bool("deployed-json", false));
                }
                explicitImage = r.has("multiaddr") && r.has("checksum");
                r.rejectUnknownKeys();
            } else if (!(block.isScalar() && Boolean.TRUE.equals(block.value()))) {
                app.problems().error(block, "expected true, false or a map (name, deployed-json), found " + block.describeKind());
                return;
            }
            if (!explicitImage && app.node().get("push") == null) {
                app.problems().error(block, "deploying app " + app.name() + " needs its image in a registry workers can"
                        + " pull: add a push: block (or give deploy.multiaddr and deploy.checksum)");
            }
            inputs.putIfAbsent("multiaddr", app.ref("push", "multiaddr"));
            inputs.putIfAbsent("checksum", app.ref("push", "checksum"));
            inputs.putIfAbsent("mrenclave", PrebuiltApp.is(app.node()) ? "" : app.ref("tee", "mrenclave"));
            inputs.put("chain", Targets.inputFor(app.root(), app.problems()));
            inputs.put("wallet", Wallets.inputFor(app.root(), app.problems()));
            emit.accept(app.step(key(), AppDeployStep.ID, inputs, block));
        }
    }

    /** {@code secret: env:X}: the app developer secret, pushed to the SMS once the app is deployed. */
    static final class PushSecret implements AppPart {
        @Override
        public String key() {
            return "secret";
        }

        @Override
        public void expand(AppDeclaration app, Consumer<StepSpec> emit) {
            Optional<ConfigNode> block = app.block(key());
            if (block.isEmpty()) {
                return;
            }
            requireDeploy(app, block.get(), key());
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("app", app.ref(DEPLOY, "address"));
            InputValues.secretRef(block.get(), app.problems()).ifPresent(ref -> inputs.put("value", ref));
            inputs.put("chain", Targets.inputFor(app.root(), app.problems()));
            inputs.put("wallet", Wallets.inputFor(app.root(), app.problems()));
            emit.accept(app.step("push-secret", AppSecretStep.ID, inputs, block.get()));
        }
    }

    /** {@code order: {...}}: an app order for the deployed app, tagged for its TEE framework by default. */
    static final class Order implements AppPart {
        @Override
        public String key() {
            return "order";
        }

        @Override
        public void expand(AppDeclaration app, Consumer<StepSpec> emit) {
            Optional<ConfigNode> block = app.block(key());
            if (block.isEmpty() || !OrderBlocks.wanted(block.get())) {
                return;
            }
            requireDeploy(app, block.get(), key());
            Map<String, Object> inputs = OrderBlocks.inputs("app", app.ref(DEPLOY, "address"), block.get(), app.root(),
                    app.problems());
            inputs.put("framework", PrebuiltApp.is(app.node()) ? PrebuiltApp.framework(app.node()) : app.ref("tee", "framework"));
            emit.accept(app.step(key(), OrderPublishStep.ID, inputs, block.get()));
        }
    }
}
