package dev.teeflow.actions.order;

import dev.teeflow.actions.chain.Targets;
import dev.teeflow.actions.chain.Wallets;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.InputValues;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.protocol.order.Tags;
import dev.teeflow.protocol.sign.Hex;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an {@code order:} block (inside an app, dataset or workerpool block, or an entry of the top-level
 * {@code orders:} section) into the inputs of an {@code order.publish} step.
 *
 * <pre>
 * order:
 *   price: 0                     # nRLC per task, default 0
 *   volume: 1000000              # default 1000000 (app, dataset), 1 (workerpool)
 *   tag: [tee, scone]            # or "tee,tdx" or a bytes32; an app order defaults to its TEE framework's tag
 *   dataset-restrict: "0x..."    # app orders; app-restrict for dataset and workerpool orders
 *   workerpool-restrict: "0x..." # app and dataset orders
 *   requester-restrict: "0x..."
 *   category: 0                  # workerpool orders
 *   trust: 0                     # workerpool orders
 *   unpublish-replaced: true     # revoke the order published for earlier terms (default true)
 *   revoke: true                 # close the published order and publish none (default false)
 * </pre>
 * {@code order: true} publishes with the defaults.
 */
public final class OrderBlocks {
    private OrderBlocks() {
    }

    /** Keys each order kind accepts besides the common ones. */
    private static List<String> restrictions(String kind) {
        return switch (kind) {
            case "app" -> List.of("dataset-restrict", "workerpool-restrict", "requester-restrict");
            case "dataset" -> List.of("app-restrict", "workerpool-restrict", "requester-restrict");
            default -> List.of("app-restrict", "dataset-restrict", "requester-restrict", "category", "trust");
        };
    }

    /**
     * The inputs of the order step for {@code block} ({@code true} or a map); {@code resource} is the
     * resource's address or a reference to its deploy step's {@code address}.
     */
    public static Map<String, Object> inputs(String kind, Object resource, ConfigNode block, ConfigNode root, Problems problems) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("kind", kind);
        inputs.put("resource", resource);
        if (block.isMap()) {
            MapReader r = new MapReader(block, problems);
            for (String key : List.of("price", "volume")) {
                r.node(key).ifPresent(n -> inputs.put(key, wholeNumber(n, problems)));
            }
            r.node("tag").ifPresent(n -> {
                Object tag = InputValues.read(n, problems);
                checkTag(n, problems);
                inputs.put("tag", tag);
            });
            for (String key : restrictions(kind)) {
                r.node(key).ifPresent(n -> inputs.put(key, key.endsWith("-restrict") ? address(n, problems) : wholeNumber(n, problems)));
            }
            if (r.has("unpublish-replaced")) {
                inputs.put("unpublish-replaced", r.bool("unpublish-replaced", true));
            }
            if (r.has("revoke")) {
                inputs.put("revoke", r.bool("revoke", false));
            }
            r.rejectUnknownKeys();
        } else if (!(block.isScalar() && Boolean.TRUE.equals(block.value()))) {
            problems.error(block, "expected true or a map of order terms (price, volume, tag, ...-restrict), found "
                    + block.describeKind());
        }
        inputs.put("chain", Targets.inputFor(root, problems));
        inputs.put("wallet", Wallets.inputFor(root, problems));
        return inputs;
    }

    /** {@code false} (or absent) means no order. */
    public static boolean wanted(ConfigNode block) {
        return block != null && !block.isNull() && !(block.isScalar() && Boolean.FALSE.equals(block.value()));
    }

    private static Object wholeNumber(ConfigNode n, Problems problems) {
        Object v = n.value();
        if (v instanceof Long || v instanceof java.math.BigInteger) {
            return v;
        }
        if (v instanceof BigDecimal d) {
            try {
                return d.toBigIntegerExact().toString();
            } catch (ArithmeticException e) {
                // reported below
            }
        }
        if (v instanceof String s && (s.contains("${{") || s.trim().matches("[0-9]+"))) {
            return InputValues.read(n, problems);
        }
        problems.error(n, "expected a whole number (prices are in nRLC: 1 RLC = 1000000000), found "
                + (n.isScalar() ? "'" + n.asText() + "'" : n.describeKind()));
        return null;
    }

    private static Object address(ConfigNode n, Problems problems) {
        Object v = n.value();
        if (v instanceof String s) {
            if (!s.contains("${{") && !Hex.isAddress(s.trim())) {
                problems.error(n, "expected an address (0x + 40 hex digits) or ${{ <step>.address }}, found '" + s + "'");
            }
            return InputValues.read(n, problems);
        }
        problems.error(n, n.isScalar() && v instanceof Number
                ? "write the address in quotes (\"0x...\"): unquoted, YAML reads it as a number"
                : "expected an address, found " + n.describeKind());
        return null;
    }

    private static void checkTag(ConfigNode n, Problems problems) {
        try {
            if (n.isList()) {
                Tags.fromNames(n.items().stream().map(ConfigNode::asText).toList());
            } else if (n.isScalar() && n.value() instanceof String s && !s.contains("${{")) {
                Tags.parse(s);
            } else if (!n.isScalar() || !(n.value() instanceof String)) {
                problems.error(n, "expected tag names ([tee, scone], \"tee,tdx\") or a bytes32, found " + n.describeKind());
            }
        } catch (IllegalArgumentException e) {
            problems.error(n, e.getMessage());
        }
    }
}
