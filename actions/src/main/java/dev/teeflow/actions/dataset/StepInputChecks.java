package dev.teeflow.actions.dataset;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.config.SourceLocation;
import dev.teeflow.engine.config.Suggestions;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.model.Template;
import dev.teeflow.engine.secret.SecretRef;
import java.util.List;
import java.util.Map;

/**
 * Checks a step's written inputs (from a {@code steps:} block or a section) before anything runs,
 * recording each problem at the field's location when the spec remembers it.
 */
final class StepInputChecks {
    private final StepSpec spec;
    private final Problems problems;

    StepInputChecks(StepSpec spec, Problems problems) {
        this.spec = spec;
        this.problems = problems;
    }

    void required(String key) {
        if (spec.inputs().get(key) == null) {
            error(key, "missing required input '" + key + "'");
        }
    }

    void secretIfPresent(String key) {
        Object v = spec.inputs().get(key);
        if (v != null && !(v instanceof SecretRef) && !(v instanceof Ref)) {
            error(key, "expected a secret reference such as 'env:NAME' or 'file:PATH'");
        }
    }

    /** Each given key of a nested block must be a secret reference (or a reference to another step's output). */
    void secretIn(Map<?, ?> block, String prefix, String... keys) {
        for (String key : keys) {
            Object v = block.get(key);
            if (v != null && !(v instanceof SecretRef) && !(v instanceof Ref)) {
                error(prefix + key, "expected a secret reference such as 'env:NAME' or 'file:PATH'");
            }
        }
    }

    void booleanIfPresent(String key) {
        Object v = spec.inputs().get(key);
        if (v != null && !(v instanceof Boolean) && !(v instanceof Ref) && !(v instanceof Template)
                && !"true".equals(v) && !"false".equals(v)) {
            error(key, "expected true or false");
        }
    }

    void onlyKnown(String... keys) {
        onlyKnown(spec.inputs(), "", List.of(keys));
    }

    void onlyKnown(Map<?, ?> map, String prefix, List<String> keys) {
        for (Object k : map.keySet()) {
            if (!keys.contains(String.valueOf(k))) {
                error(prefix + k, "unknown input '" + k + "'" + Suggestions.didYouMean(String.valueOf(k), keys));
            }
        }
    }

    void error(String key, String message) {
        ConfigNode node = locate(key);
        String path = node != null ? node.path() : spec.address() + "." + key;
        SourceLocation where = node != null ? node.location() : spec.location();
        problems.error(where, path, message);
    }

    private ConfigNode locate(String dottedKey) {
        ConfigNode node = spec.source();
        for (String part : dottedKey.split("\\.")) {
            if (node == null || !node.isMap()) {
                return null;
            }
            node = node.get(part);
        }
        return node;
    }
}
