package dev.teeflow.dsl.groovy;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.config.SourceLocation;
import groovy.lang.Closure;
import groovy.lang.GString;
import groovy.lang.GroovyInterceptable;
import groovy.lang.GroovyObjectSupport;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The delegate of every DSL closure: each call writes one entry of a map, by one generic rule, so a
 * new section needs no Groovy code:
 * <ul>
 *   <li>{@code key 'v'} / {@code key 42} / {@code key true} = scalar;</li>
 *   <li>{@code key(['a', 'b'])} or {@code key 'a', 'b'} = list;</li>
 *   <li>{@code key { ... }} or {@code key(a: 1)} or both, {@code key(a: 1) { b 2 }} = map;</li>
 *   <li>{@code key('name') { ... }} = entry {@code name} of map {@code key} (repeatable).</li>
 * </ul>
 * A closure inside a list is a map. Problems are recorded, never thrown, so all are reported.
 */
final class MapBuilder extends GroovyObjectSupport implements GroovyInterceptable {
    private final String path;
    private final SourceLocation location;
    private final Problems problems;
    private final CallSiteLocator locator;
    /** Children: finished {@link ConfigNode}s, or builders of named-entry maps still open to additions. */
    private final Map<String, Object> entries = new LinkedHashMap<>();
    private final Map<String, SourceLocation> written = new LinkedHashMap<>();

    MapBuilder(String path, SourceLocation location, Problems problems, CallSiteLocator locator) {
        this.path = path;
        this.location = location;
        this.problems = problems;
        this.locator = locator;
    }

    @Override
    public Object invokeMethod(String name, Object args) {
        Object[] a = args instanceof Object[] arr ? arr : new Object[] {args};
        SourceLocation at = locator.here(name);
        String childPath = ConfigNode.childPath(path, name);
        boolean closureLast = a.length > 0 && a[a.length - 1] instanceof Closure;
        if (closureLast && a.length == 1) {
            put(name, at, fromClosure((Closure<?>) a[0], childPath, at));
        } else if (closureLast && a.length == 2 && isText(a[0])) {
            putNamed(name, a[0].toString(), (Closure<?>) a[1], at);
        } else if (closureLast && a.length == 2 && a[0] instanceof Map<?, ?> named) {
            MapBuilder child = new MapBuilder(childPath, at, problems, locator);
            named.forEach((k, v) -> child.put(String.valueOf(k), at, child.value(v, ConfigNode.childPath(childPath,
                    String.valueOf(k)), at)));
            child.fill((Closure<?>) a[1]);
            put(name, at, child.build());
        } else if (closureLast) {
            problems.error(at, childPath, "write " + name + " { ... }, " + name + "('name') { ... } or "
                    + name + "(key: value) { ... }");
        } else if (a.length == 0) {
            put(name, at, ConfigNode.scalar(childPath, at, null));
        } else if (a.length == 1) {
            put(name, at, value(a[0], childPath, at));
        } else {
            put(name, at, value(List.of(a), childPath, at));
        }
        return null;
    }

    @Override
    public Object getProperty(String name) {
        SourceLocation at = locator.here(name);
        problems.error(at, ConfigNode.childPath(path, name), "'" + name + "' has no value here; to set it write "
                + name + " 'value', or declare a local variable with def " + name + " = ...");
        return null;
    }

    @Override
    public void setProperty(String name, Object value) {
        invokeMethod(name, new Object[] {value});
    }

    ConfigNode build() {
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> out.put(k, v instanceof MapBuilder b ? b.build() : (ConfigNode) v));
        return ConfigNode.map(path, location, out);
    }

    /** Runs {@code closure} against a fresh builder: the closure's calls fill the map it returns. */
    ConfigNode fromClosure(Closure<?> closure, String childPath, SourceLocation at) {
        MapBuilder child = new MapBuilder(childPath, at, problems, locator);
        child.fill(closure);
        return child.build();
    }

    void fill(Closure<?> closure) {
        Closure<?> bound = closure.rehydrate(this, this, this);
        bound.setResolveStrategy(Closure.DELEGATE_ONLY);
        bound.call();
    }

    private void put(String name, SourceLocation at, ConfigNode node) {
        SourceLocation first = written.putIfAbsent(name, at);
        if (first != null) {
            problems.error(at, node.path(), "duplicate key '" + name + "' (first written at " + first + ")");
            return;
        }
        entries.put(name, node);
    }

    private void putNamed(String name, String entry, Closure<?> closure, SourceLocation at) {
        String childPath = ConfigNode.childPath(path, name);
        Object existing = entries.get(name);
        MapBuilder group;
        if (existing == null) {
            group = new MapBuilder(childPath, at, problems, locator);
            entries.put(name, group);
            written.put(name, at);
        } else if (existing instanceof MapBuilder b) {
            group = b;
        } else {
            problems.error(at, childPath, "duplicate key '" + name + "' (first written at " + written.get(name) + ")");
            return;
        }
        group.put(entry, at, fromClosure(closure, ConfigNode.childPath(childPath, entry), at));
    }

    private static boolean isText(Object o) {
        return o instanceof String || o instanceof GString;
    }

    /** A Groovy value as a tree node; values that are not plain data are refused. */
    private ConfigNode value(Object v, String p, SourceLocation at) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof BigDecimal) {
            return ConfigNode.scalar(p, at, v);
        }
        if (v instanceof GString || v instanceof Character) {
            return ConfigNode.scalar(p, at, v.toString());
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ConfigNode.scalar(p, at, ((Number) v).longValue());
        }
        if (v instanceof BigInteger b) {
            return ConfigNode.scalar(p, at, b.bitLength() < 64 ? (Object) b.longValue() : new BigDecimal(b));
        }
        if (v instanceof Float || v instanceof Double) {
            return ConfigNode.scalar(p, at, new BigDecimal(v.toString()));
        }
        if (v instanceof List<?> list) {
            List<ConfigNode> items = new ArrayList<>();
            for (Object item : list) {
                items.add(value(item, ConfigNode.itemPath(p, items.size()), at));
            }
            return ConfigNode.list(p, at, items);
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, ConfigNode> out = new LinkedHashMap<>();
            map.forEach((k, val) -> {
                String key = String.valueOf(k);
                out.put(key, value(val, ConfigNode.childPath(p, key), at));
            });
            return ConfigNode.map(p, at, out);
        }
        if (v instanceof Closure<?> c) {
            return fromClosure(c, p, at);
        }
        problems.error(at, p, "a value must be text, a number, true/false, a list, a map or a closure");
        return ConfigNode.scalar(p, at, null);
    }
}
