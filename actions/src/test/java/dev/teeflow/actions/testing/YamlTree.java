package dev.teeflow.actions.testing;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.SourceLocation;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A minimal stand-in for the YAML front-end in tests: writes {@code text} to {@code dir/teeflow.yml}
 * and turns it into a {@link ConfigNode} tree that knows file, line and column.
 */
public final class YamlTree {
    private YamlTree() {
    }

    public static ConfigNode parse(Path dir, String text) throws IOException {
        Path file = dir.resolve("teeflow.yml");
        Files.writeString(file, text);
        Node root = new Compose(LoadSettings.builder().build()).composeString(text).orElseThrow();
        return convert(file, "", root);
    }

    private static ConfigNode convert(Path file, String path, Node node) {
        SourceLocation loc = node.getStartMark()
                .map(m -> new SourceLocation(file, m.getLine() + 1, m.getColumn() + 1))
                .orElse(new SourceLocation(file, 1, 1));
        if (node instanceof MappingNode m) {
            Map<String, ConfigNode> entries = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                String key = ((ScalarNode) t.getKeyNode()).getValue();
                entries.put(key, convert(file, ConfigNode.childPath(path, key), t.getValueNode()));
            }
            return ConfigNode.map(path, loc, entries);
        }
        if (node instanceof SequenceNode s) {
            List<ConfigNode> items = new ArrayList<>();
            for (int i = 0; i < s.getValue().size(); i++) {
                items.add(convert(file, ConfigNode.itemPath(path, i), s.getValue().get(i)));
            }
            return ConfigNode.list(path, loc, items);
        }
        ScalarNode sc = (ScalarNode) node;
        String v = sc.getValue();
        Object value;
        if (sc.getTag().equals(Tag.NULL)) {
            value = null;
        } else if (sc.getTag().equals(Tag.BOOL)) {
            value = Boolean.parseBoolean(v);
        } else if (sc.getTag().equals(Tag.INT)) {
            value = Long.parseLong(v);
        } else if (sc.getTag().equals(Tag.FLOAT)) {
            value = new BigDecimal(v);
        } else {
            value = v;
        }
        return ConfigNode.scalar(path, loc, value);
    }

}
