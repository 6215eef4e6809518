package dev.teeflow.cli.reference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.teeflow.engine.spi.Field;
import dev.teeflow.engine.spi.FieldKind;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.spi.SectionType;
import dev.teeflow.engine.spi.StepSchema;
import dev.teeflow.engine.spi.StepType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema (draft 2020-12) of a pipeline file, made from the registered sections and step schemas, so
 * that editors (the YAML language server) complete and check {@code teeflow.yml}. A {@code steps:} block's
 * {@code with:} is checked against its type's schema; the other sections are described, and checked by teeflow.
 */
public final class PipelineJsonSchema {
    static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
    /** Any value may also be another step's output, written {@code ${{ <step>.<output> }}}. */
    private static final Map<String, Object> REFERENCE = obj("type", "string", "pattern", "\\$\\{\\{.*\\}\\}");

    private PipelineJsonSchema() {
    }

    public static String json(Registry registry) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(schema(registry)) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> schema(Registry registry) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("apiVersion", obj("const", "teeflow/v1", "description", "the file format's version"));
        properties.put("kind", obj("const", "Pipeline"));
        properties.put("name", obj("type", "string", "description", "the pipeline's name"));
        properties.put("description", obj("type", "string"));
        properties.put("allow-outside-paths", obj("type", "boolean",
                "description", "let paths point outside the project folder"));
        properties.put("params", obj("type", "object", "description", "parameters, read as ${{ params.NAME }}"));
        properties.put("state", obj("type", "object", "description", "where the state is kept (see docs/shared-state.md)"));
        for (SectionType section : registry.sectionTypes().values()) {
            properties.put(section.key(), section.key().equals("steps") ? steps(registry, section)
                    : obj("description", section.doc()));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", DIALECT);
        root.put("title", "teeflow pipeline file");
        root.put("type", "object");
        root.put("required", List.of("apiVersion", "kind", "name"));
        root.put("properties", properties);
        root.put("additionalProperties", false);
        return root;
    }

    private static Map<String, Object> steps(Registry registry, SectionType section) {
        List<Object> byType = new ArrayList<>();
        for (StepType type : registry.stepTypes().values()) {
            if (type.schema().isDeclared()) {
                byType.add(obj("if", obj("properties", obj("type", obj("const", type.id()))),
                        "then", obj("properties", obj("with", with(type.schema())))));
            }
        }
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("type", "object");
        step.put("required", List.of("type"));
        step.put("properties", obj(
                "type", obj("enum", new ArrayList<>(registry.stepTypes().keySet()), "description", "the step type"),
                "with", obj("type", "object", "description", "the step's inputs"),
                "needs", obj("type", "array", "items", obj("type", "string"), "description", "steps to run first"),
                "always", obj("type", "boolean", "description", "run on every apply")));
        step.put("additionalProperties", false);
        step.put("allOf", byType);
        return obj("type", "object", "description", section.doc(), "additionalProperties", step);
    }

    static Map<String, Object> with(StepSchema schema) {
        Map<String, Object> out = block(schema.fields());
        out.put("description", schema.doc());
        return out;
    }

    private static Map<String, Object> block(List<Field> fields) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (Field f : fields) {
            properties.put(f.name(), field(f));
            if (f.isRequired()) {
                required.add(f.name());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "object");
        out.put("properties", properties);
        if (!required.isEmpty()) {
            out.put("required", required);
        }
        out.put("additionalProperties", false);
        return out;
    }

    private static Map<String, Object> field(Field f) {
        Map<String, Object> kind = kind(f.kind(), f);
        Map<String, Object> out = new LinkedHashMap<>();
        if (!f.doc().isEmpty()) {
            out.put("description", f.doc());
        }
        f.defaultValue().ifPresent(d -> out.put("default", d));
        out.put("anyOf", List.of(kind, REFERENCE));
        return out;
    }

    private static Map<String, Object> kind(FieldKind kind, Field f) {
        return switch (kind) {
            case TEXT -> f != null && !f.choices().isEmpty() ? obj("enum", f.choices())
                    : obj("type", List.of("string", "number", "boolean"));
            case PATH -> obj("type", List.of("string", "number"));
            case SECRET -> obj("type", "object", "properties", obj("secret", obj("type", "string", "pattern", "^(env|file):")),
                    "required", List.of("secret"), "additionalProperties", false);
            case TEXT_OR_SECRET -> obj("anyOf", List.of(kind(FieldKind.TEXT, null), kind(FieldKind.SECRET, null)));
            case NUMBER -> obj("anyOf", List.of(obj("type", "number"), obj("type", "string", "pattern", "^\\s*-?[0-9.]+\\s*$")));
            case BOOL -> obj("type", "boolean");
            case LIST -> {
                Map<String, Object> item = f == null || f.itemKind() == FieldKind.ANY ? obj() : kind(f.itemKind(), null);
                yield obj("anyOf", List.of(obj("type", "array", "items", item), item));
            }
            case MAP -> f != null && !f.fields().isEmpty() ? block(f.fields())
                    : obj("type", "object", "additionalProperties",
                            f == null || f.itemKind() == FieldKind.ANY ? obj() : kind(f.itemKind(), null));
            case REFERENCE -> REFERENCE;
            case ANY -> obj();
        };
    }

    static Map<String, Object> obj(Object... keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            out.put((String) keyValues[i], keyValues[i + 1]);
        }
        return out;
    }
}
