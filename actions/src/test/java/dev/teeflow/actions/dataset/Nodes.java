package dev.teeflow.actions.dataset;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a ConfigNode tree from plain maps as a front-end would, each node on its own line of teeflow.yml. */
final class Nodes {
    private int line = 1;

    static ConfigNode tree(String path, Object plain) {
        return new Nodes().node(path, plain);
    }

    private ConfigNode node(String path, Object plain) {
        SourceLocation at = new SourceLocation(Path.of("teeflow.yml"), line++, 1);
        if (plain instanceof Map<?, ?> map) {
            Map<String, ConfigNode> entries = new LinkedHashMap<>();
            map.forEach((k, v) -> entries.put(k.toString(), node(ConfigNode.childPath(path, k.toString()), v)));
            return ConfigNode.map(path, at, entries);
        }
        if (plain instanceof List<?> list) {
            List<ConfigNode> items = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                items.add(node(ConfigNode.itemPath(path, i), list.get(i)));
            }
            return ConfigNode.list(path, at, items);
        }
        return ConfigNode.scalar(path, at, plain instanceof Integer i ? Long.valueOf(i) : plain);
    }
}
