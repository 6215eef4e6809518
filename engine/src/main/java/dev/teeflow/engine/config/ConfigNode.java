package dev.teeflow.engine.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pipeline file as a tree that remembers where each value was written. Both front-ends (YAML and
 * Groovy) produce this tree; everything after them reads it, so that the two give identical models
 * and errors point at the user's own lines.
 *
 * <p>Scalars hold {@link String}, {@link Boolean}, {@link Long}, {@link java.math.BigDecimal} or
 * {@code null}. Maps keep their written order.
 */
public final class ConfigNode {
    public enum Kind { MAP, LIST, SCALAR }

    private final Kind kind;
    private final String path;
    private final SourceLocation location;
    private final Map<String, ConfigNode> entries;
    private final List<ConfigNode> items;
    private final Object value;

    private ConfigNode(Kind kind, String path, SourceLocation location,
                       Map<String, ConfigNode> entries, List<ConfigNode> items, Object value) {
        this.kind = kind;
        this.path = path;
        this.location = location;
        this.entries = entries;
        this.items = items;
        this.value = value;
    }

    public static ConfigNode map(String path, SourceLocation location, Map<String, ConfigNode> entries) {
        return new ConfigNode(Kind.MAP, path, location,
                Collections.unmodifiableMap(new LinkedHashMap<>(entries)), List.of(), null);
    }

    public static ConfigNode list(String path, SourceLocation location, List<ConfigNode> items) {
        return new ConfigNode(Kind.LIST, path, location, Map.of(), List.copyOf(items), null);
    }

    public static ConfigNode scalar(String path, SourceLocation location, Object value) {
        return new ConfigNode(Kind.SCALAR, path, location, Map.of(), List.of(), value);
    }

    /** Path of a child entry: {@code app.checker} + {@code build} = {@code app.checker.build}. */
    public static String childPath(String parent, String key) {
        return parent == null || parent.isEmpty() ? key : parent + "." + key;
    }

    /** Path of a list item: {@code run.check.args[0]}. */
    public static String itemPath(String parent, int index) {
        return (parent == null ? "" : parent) + "[" + index + "]";
    }

    public Kind kind() {
        return kind;
    }

    public boolean isMap() {
        return kind == Kind.MAP;
    }

    public boolean isList() {
        return kind == Kind.LIST;
    }

    public boolean isScalar() {
        return kind == Kind.SCALAR;
    }

    public boolean isNull() {
        return kind == Kind.SCALAR && value == null;
    }

    /** The field's path from the root of the file, as shown in errors. */
    public String path() {
        return path;
    }

    public SourceLocation location() {
        return location;
    }

    /** Entries of a map node, in written order; empty for other kinds. */
    public Map<String, ConfigNode> entries() {
        return entries;
    }

    /** The entry for {@code key}, or {@code null}. */
    public ConfigNode get(String key) {
        return entries.get(key);
    }

    public List<ConfigNode> items() {
        return items;
    }

    /** The scalar value; {@code null} for maps and lists. */
    public Object value() {
        return value;
    }

    /** The scalar as text (numbers and booleans as written), or {@code null}. */
    public String asText() {
        return value == null ? null : value.toString();
    }

    /** The tree as plain Java maps, lists and scalars. */
    public Object toPlain() {
        return switch (kind) {
            case SCALAR -> value;
            case LIST -> {
                List<Object> out = new ArrayList<>(items.size());
                for (ConfigNode item : items) {
                    out.add(item.toPlain());
                }
                yield out;
            }
            case MAP -> {
                Map<String, Object> out = new LinkedHashMap<>();
                entries.forEach((k, v) -> out.put(k, v.toPlain()));
                yield out;
            }
        };
    }

    /** What kind of value this is, in the words an error message uses. */
    public String describeKind() {
        return switch (kind) {
            case MAP -> "a map";
            case LIST -> "a list";
            case SCALAR -> value == null ? "empty" : value instanceof String ? "a string"
                    : value instanceof Boolean ? "a boolean" : "a number";
        };
    }

    @Override
    public String toString() {
        return path + "@" + location;
    }
}
