package dev.teeflow.dsl;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.state.StateBackends;
import dev.teeflow.engine.state.StateSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the pipeline file's {@code state:} block: the backend, its settings (scalars; credentials as
 * secret references) and the passphrase or key reference. Each problem names the field and its line.
 */
final class StateBlock {
    private StateBlock() {
    }

    static StateSettings read(ConfigNode block, Problems problems) {
        if (block == null || block.isNull()) {
            return StateSettings.local();
        }
        if (!block.isMap()) {
            problems.error(block, "state: expected a map such as { backend: postgres, url: ..., passphrase: env:NAME }, found "
                    + block.describeKind());
            return StateSettings.local();
        }
        String backend = null;
        String passphrase = null;
        String key = null;
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, ConfigNode> nodes = new LinkedHashMap<>();
        for (var e : block.entries().entrySet()) {
            ConfigNode v = e.getValue();
            nodes.put(e.getKey(), v);
            if (!v.isScalar() || v.isNull()) {
                problems.error(v, "expected a value, found " + v.describeKind());
                continue;
            }
            String text = v.asText();
            switch (e.getKey()) {
                case "backend" -> backend = text;
                case "passphrase" -> passphrase = text;
                case "key" -> key = text;
                default -> settings.put(e.getKey(), text);
            }
        }
        StateSettings read = new StateSettings(backend, settings, passphrase, key);
        StateBackends.load().problems(read).forEach((field, message) -> {
            ConfigNode at = nodes.getOrDefault(field, block);
            problems.error(at.location(), ConfigNode.childPath(block.path(), field), message);
        });
        return read;
    }
}
