package dev.teeflow.dsl;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.config.SourceLocation;
import dev.teeflow.engine.config.Suggestions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code params:} block and the values given with {@code -p name=value}. A parameter is written
 * either with its default ({@code tag: "1.0.0"}) or as a map ({@code tag: {default: "1.0.0",
 * description: ...}}); one without a default must be given on the command line.
 */
final class Params {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private Params() {
    }

    /** The value of every declared parameter; records missing, unknown and malformed ones. */
    static Map<String, String> resolve(ConfigNode block, Map<String, String> given, Path file, Problems problems) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, ConfigNode> declared = new LinkedHashMap<>();
        if (block != null && !block.isNull()) {
            if (!block.isMap()) {
                problems.error(block, "expected a map of parameters such as 'tag: \"1.0.0\"', found " + block.describeKind());
            } else {
                declared.putAll(block.entries());
            }
        }
        for (var e : declared.entrySet()) {
            String name = e.getKey();
            ConfigNode decl = e.getValue();
            if (!NAME.matcher(name).matches()) {
                problems.error(decl, "parameter name '" + name + "' must be letters, digits, '_' or '-'");
                continue;
            }
            String fallback = defaultValue(decl, problems);
            String value = given.containsKey(name) ? given.get(name) : fallback;
            if (value == null) {
                problems.error(decl, "parameter '" + name + "' has no default; give it with -p " + name + "=VALUE");
                continue;
            }
            values.put(name, value);
        }
        for (String name : given.keySet()) {
            if (!declared.containsKey(name)) {
                SourceLocation at = block != null ? block.location() : new SourceLocation(file, 0, 0);
                problems.error(at, "params", "unknown parameter '" + name + "' given with -p"
                        + Suggestions.didYouMean(name, declared.keySet())
                        + (declared.isEmpty() ? "; the pipeline declares no parameters"
                        : "; declared: " + String.join(", ", declared.keySet())));
            }
        }
        return values;
    }

    private static String defaultValue(ConfigNode decl, Problems problems) {
        if (decl.isScalar()) {
            return decl.asText();
        }
        if (decl.isMap()) {
            MapReader r = new MapReader(decl, problems);
            r.optionalString("description");
            String value = r.node("default").map(n -> {
                if (!n.isScalar()) {
                    problems.error(n, "a parameter's default must be a single value, found " + n.describeKind());
                    return null;
                }
                return n.asText();
            }).orElse(null);
            r.rejectUnknownKeys();
            return value;
        }
        problems.error(decl, "expected a default value or {default: ..., description: ...}, found " + decl.describeKind());
        return null;
    }
}
