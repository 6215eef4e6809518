package dev.teeflow.cli.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a value against the keywords {@link PipelineJsonSchema} uses (type, const, enum, pattern, properties,
 * required, additionalProperties, items, anyOf, allOf, if/then): enough to test what an editor will see.
 */
final class JsonSchemaSubset {
    private JsonSchemaSubset() {
    }

    static List<String> errors(Map<String, Object> schema, Object value) {
        List<String> out = new ArrayList<>();
        check(schema, value, "", out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void check(Map<String, Object> s, Object v, String at, List<String> out) {
        if (s.containsKey("type") && !typeMatches(s.get("type"), v)) {
            out.add(at + ": not of type " + s.get("type"));
            return;
        }
        if (s.containsKey("const") && !s.get("const").equals(v)) {
            out.add(at + ": not " + s.get("const"));
        }
        if (s.containsKey("enum") && !((List<Object>) s.get("enum")).contains(v)) {
            out.add(at + ": not one of " + s.get("enum"));
        }
        if (s.containsKey("pattern") && v instanceof String str && !Pattern.compile((String) s.get("pattern")).matcher(str).find()) {
            out.add(at + ": does not match " + s.get("pattern"));
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> props = (Map<String, Object>) s.getOrDefault("properties", Map.of());
            for (Object r : (List<Object>) s.getOrDefault("required", List.of())) {
                if (!map.containsKey(r)) {
                    out.add(at + ": missing " + r);
                }
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                String path = at.isEmpty() ? key : at + "." + key;
                if (props.containsKey(key)) {
                    check((Map<String, Object>) props.get(key), e.getValue(), path, out);
                } else if (Boolean.FALSE.equals(s.get("additionalProperties"))) {
                    out.add(path + ": unknown property");
                } else if (s.get("additionalProperties") instanceof Map<?, ?> extra) {
                    check((Map<String, Object>) extra, e.getValue(), path, out);
                }
            }
        }
        if (v instanceof List<?> list && s.get("items") instanceof Map<?, ?> items) {
            for (int i = 0; i < list.size(); i++) {
                check((Map<String, Object>) items, list.get(i), at + "[" + i + "]", out);
            }
        }
        if (s.get("anyOf") instanceof List<?> any && any.stream().noneMatch(a -> errors((Map<String, Object>) a, v).isEmpty())) {
            out.add(at + ": matches none of its allowed forms");
        }
        for (Object each : (List<Object>) s.getOrDefault("allOf", List.of())) {
            Map<String, Object> part = (Map<String, Object>) each;
            if (part.containsKey("if")) {
                if (errors((Map<String, Object>) part.get("if"), v).isEmpty()) {
                    check((Map<String, Object>) part.get("then"), v, at, out);
                }
            } else {
                check(part, v, at, out);
            }
        }
    }

    private static boolean typeMatches(Object type, Object v) {
        if (type instanceof List<?> types) {
            return types.stream().anyMatch(t -> typeMatches(t, v));
        }
        return switch ((String) type) {
            case "object" -> v instanceof Map;
            case "array" -> v instanceof List;
            case "string" -> v instanceof String;
            case "number" -> v instanceof Number;
            case "boolean" -> v instanceof Boolean;
            default -> true;
        };
    }
}
