package dev.teeflow.actions.app;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds ConfigNode trees from plain maps for tests, giving each node a distinct fake line. */
final class ConfigTrees {
    private static int line;

    private ConfigTrees() {
    }

    static ConfigNode tree(String path, Object value) {
        SourceLocation at = new SourceLocation(Path.of("teeflow.yml"), ++line, 1);
        if (value instanceof Map<?, ?> map) {
            Map<String, ConfigNode> entries = new LinkedHashMap<>();
            map.forEach((k, v) -> entries.put(k.toString(), tree(ConfigNode.childPath(path, k.toString()), v)));
            return ConfigNode.map(path, at, entries);
        }
        if (value instanceof List<?> list) {
            List<ConfigNode> items = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                items.add(tree(ConfigNode.itemPath(path, i), list.get(i)));
            }
            return ConfigNode.list(path, at, items);
        }
        return ConfigNode.scalar(path, at, value);
    }
}
