package dev.teeflow.actions.deploy;

import dev.teeflow.actions.chain.Targets;
import dev.teeflow.actions.chain.Wallets;
import dev.teeflow.actions.order.OrderBlocks;
import dev.teeflow.actions.order.OrderPublishStep;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.NamedBlocks;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.SectionType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@code workerpool:} section, for pipelines that run their own workerpool: each entry becomes
 * {@code workerpool.<name>.deploy} and, with {@code order:}, {@code workerpool.<name>.order}.
 * <pre>
 * workerpool:
 *   mypool:
 *     description: "my pool"
 *     deployed-json: true
 *     order: { price: 0, volume: 100, tag: [tee, tdx], category: 0, trust: 0 }
 * </pre>
 */
public final class WorkerpoolSection implements SectionType {

    @Override
    public String key() {
        return "workerpool";
    }

    @Override
    public String doc() {
        return "Workerpools this pipeline runs itself: each named block deploys one and, with order:, publishes "
                + "its order. Example: workerpool: { mypool: { description: my pool, order: { price: 0, volume: "
                + "100 } } }.";
    }

    @Override
    public java.util.Map<String, String> makes() {
        return dev.teeflow.engine.spi.SectionSteps.of(
                "workerpool.<name>.deploy", "workerpool.deploy",
                "workerpool.<name>.order", "order.publish");
    }

    @Override
    public void expand(ConfigNode section, ConfigNode root, Problems problems, Consumer<StepSpec> emit) {
        NamedBlocks.forEach(section, problems, "workerpool", "{ mypool: { description: my pool } }",
                "description, deployed-json, order", (name, node) -> {
            MapReader r = new MapReader(node, problems);
            String prefix = "workerpool." + name + ".";
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("description", r.string("description", name));
            if (r.has("deployed-json")) {
                inputs.put("deployed-json", r.bool("deployed-json", false));
            }
            inputs.put("chain", Targets.inputFor(root, problems));
            inputs.put("wallet", Wallets.inputFor(root, problems));
            emit.accept(new StepSpec(prefix + "deploy", WorkerpoolDeployStep.ID, inputs, Set.of(), false, node.location(), node));
            r.node("order").filter(OrderBlocks::wanted).ifPresent(order -> emit.accept(new StepSpec(prefix + "order",
                    OrderPublishStep.ID, OrderBlocks.inputs("workerpool", new Ref(prefix + "deploy", "address"), order, root, problems),
                    Set.of(), false, order.location(), order)));
            r.rejectUnknownKeys();
        });
    }
}
