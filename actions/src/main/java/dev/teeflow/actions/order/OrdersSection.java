package dev.teeflow.actions.order;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.NamedBlocks;
import dev.teeflow.engine.config.InputValues;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.SectionType;
import dev.teeflow.protocol.sign.Hex;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@code orders:} section: orders for resources deployed elsewhere (by hand, by another pipeline),
 * one {@code order.<name>.publish} step each. Exactly one of {@code app}, {@code dataset},
 * {@code workerpool} names the resource (an address or a {@code ${{ ... }}} reference); the other keys
 * are those of any {@code order:} block ({@link OrderBlocks}).
 * <pre>
 * orders:
 *   public-checker:
 *     app: "0x1234..."
 *     price: 0
 *     volume: 100
 *     tag: [tee, tdx]
 * </pre>
 */
public final class OrdersSection implements SectionType {

    @Override
    public String key() {
        return "orders";
    }

    @Override
    public String doc() {
        return "Orders for resources deployed elsewhere: each named block names exactly one of app, dataset or "
                + "workerpool (an address or a reference) and the order's terms. Example: orders: { "
                + "public-checker: { app: '0x1234...', price: 0, volume: 100, tag: [tee, tdx] } }.";
    }

    @Override
    public java.util.Map<String, String> makes() {
        return dev.teeflow.engine.spi.SectionSteps.of(
                "order.<name>.publish", "order.publish");
    }

    @Override
    public void expand(ConfigNode section, ConfigNode root, Problems problems, Consumer<StepSpec> emit) {
        NamedBlocks.forEach(section, problems, "order", "{ myorder: { app: \"0x...\", price: 0 } }",
                "app|dataset|workerpool, price, volume, tag, ...", (name, node) -> {
            List<String> given = OrderInputs.KINDS.stream().filter(k -> node.get(k) != null).toList();
            if (given.size() != 1) {
                problems.error(node, given.isEmpty() ? "give the resource: app, dataset or workerpool (its address)"
                        : "give only one of app, dataset, workerpool; found " + String.join(", ", given));
                return;
            }
            String kind = given.get(0);
            ConfigNode resourceNode = node.get(kind);
            Object resource = InputValues.read(resourceNode, problems);
            if (resource instanceof String s && !Hex.isAddress(s)) {
                problems.error(resourceNode, "expected an address (0x + 40 hex digits, in quotes) or ${{ <step>.address }}, found '" + s + "'");
            } else if (!(resource instanceof String) && resourceNode.value() instanceof Number) {
                problems.error(resourceNode, "write the address in quotes (\"0x...\"): unquoted, YAML reads it as a number");
            }
            Map<String, ConfigNode> terms = new LinkedHashMap<>(node.entries());
            terms.remove(kind);
            ConfigNode block = ConfigNode.map(node.path(), node.location(), terms);
            Map<String, Object> inputs = OrderBlocks.inputs(kind, resource, block, root, problems);
            emit.accept(new StepSpec("order." + name + ".publish", OrderPublishStep.ID, inputs, Set.of(), false,
                    node.location(), node));
        });
    }
}
