package dev.teeflow.engine.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the fields of one map in a pipeline file, recording a {@link Problems} entry for each
 * missing, mistyped or unknown field instead of stopping at the first. Typical use:
 *
 * <pre>{@code
 * MapReader r = new MapReader(node, problems);
 * String context = r.string("context", ".");
 * Optional<ConfigNode> args = r.node("args");
 * r.rejectUnknownKeys();
 * }</pre>
 *
 * Every key asked for counts as known, so {@link #rejectUnknownKeys()} reports the others with a
 * "did you mean" for likely typos.
 */
public final class MapReader {
    private final ConfigNode node;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();
    private final boolean valid;

    public MapReader(ConfigNode node, Problems problems) {
        this.node = node;
        this.problems = problems;
        this.valid = node != null && node.isMap();
        if (node != null && !node.isMap()) {
            problems.error(node, "expected a map, found " + node.describeKind());
        }
    }

    public ConfigNode node() {
        return node;
    }

    public Problems problems() {
        return problems;
    }

    /** Declares keys as known without reading them (read elsewhere, or ignored on purpose). */
    public MapReader allow(String... keys) {
        known.addAll(List.of(keys));
        return this;
    }

    public boolean has(String key) {
        known.add(key);
        return valid && node.get(key) != null;
    }

    /** The child node, if present and not null. */
    public Optional<ConfigNode> node(String key) {
        known.add(key);
        if (!valid) {
            return Optional.empty();
        }
        ConfigNode child = node.get(key);
        return child == null || child.isNull() ? Optional.empty() : Optional.of(child);
    }

    /** A required child node; records "missing required field" when absent. */
    public Optional<ConfigNode> requiredNode(String key) {
        Optional<ConfigNode> child = node(key);
        if (child.isEmpty() && valid) {
            problems.error(node.location(), ConfigNode.childPath(node.path(), key), "missing required field '" + key + "'");
        }
        return child;
    }

    public Optional<String> optionalString(String key) {
        return node(key).flatMap(this::scalarText);
    }

    public String string(String key, String fallback) {
        return optionalString(key).orElse(fallback);
    }

    /** A required string; {@code null} (with a problem recorded) when missing or not a scalar. */
    public String requiredString(String key) {
        return requiredNode(key).flatMap(this::scalarText).orElse(null);
    }

    public boolean bool(String key, boolean fallback) {
        Optional<ConfigNode> child = node(key);
        if (child.isEmpty()) {
            return fallback;
        }
        Object v = child.get().value();
        if (v instanceof Boolean b) {
            return b;
        }
        problems.error(child.get(), "expected true or false, found " + child.get().describeKind());
        return fallback;
    }

    public long number(String key, long fallback) {
        Optional<ConfigNode> child = node(key);
        if (child.isEmpty()) {
            return fallback;
        }
        Object v = child.get().value();
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                // fall through to the error below
            }
        }
        problems.error(child.get(), "expected a whole number, found " + child.get().describeKind());
        return fallback;
    }

    /** A list of strings; a single string is accepted as a one-item list. */
    public List<String> strings(String key) {
        Optional<ConfigNode> child = node(key);
        if (child.isEmpty()) {
            return List.of();
        }
        ConfigNode c = child.get();
        if (c.isScalar()) {
            return scalarText(c).map(List::of).orElse(List.of());
        }
        if (!c.isList()) {
            problems.error(c, "expected a list, found " + c.describeKind());
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (ConfigNode item : c.items()) {
            scalarText(item).ifPresent(out::add);
        }
        return out;
    }

    /** Records one problem per key that no read or {@link #allow} declared. */
    public void rejectUnknownKeys() {
        if (!valid) {
            return;
        }
        for (var e : node.entries().entrySet()) {
            if (!known.contains(e.getKey())) {
                problems.error(e.getValue().location(), e.getValue().path(),
                        "unknown field '" + e.getKey() + "'" + Suggestions.didYouMean(e.getKey(), known));
            }
        }
    }

    private Optional<String> scalarText(ConfigNode n) {
        if (!n.isScalar()) {
            problems.error(n, "expected a value, found " + n.describeKind());
            return Optional.empty();
        }
        return Optional.ofNullable(n.asText());
    }
}
