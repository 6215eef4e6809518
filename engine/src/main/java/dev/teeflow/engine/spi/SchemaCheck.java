package dev.teeflow.engine.spi;

import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.config.Suggestions;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.model.Template;
import dev.teeflow.engine.secret.SecretRef;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks one step's written inputs against its {@link StepSchema}: missing required fields, unknown fields
 * (with "did you mean"), values of the wrong kind, values outside a field's choices, groups of which exactly
 * one must be given. Each problem names the field and is placed where it was written when the step remembers
 * its source, else at the step.
 */
final class SchemaCheck {
    private final StepSpec spec;
    private final Problems problems;

    SchemaCheck(StepSpec spec, Problems problems) {
        this.spec = spec;
        this.problems = problems;
    }

    void check(StepSchema schema) {
        checkBlock(schema.asBlock(), spec.inputs(), List.of());
        for (List<String> group : schema.exactlyOne()) {
            List<String> given = group.stream().filter(n -> spec.inputs().get(n) != null).toList();
            if (given.size() != 1) {
                String names = String.join(", ", group.stream().map(n -> "'" + n + "'").toList());
                error(given.isEmpty() ? List.of() : List.of(given.get(1)), given.isEmpty()
                        ? "give one of " + names : "give only one of " + names + " (found " + String.join(", ", given) + ")");
            }
        }
    }

    private void checkBlock(Field block, Map<?, ?> values, List<String> at) {
        for (Field f : block.fields()) {
            if (f.isRequired() && values.get(f.name()) == null) {
                error(append(at, f.name()), "missing required field '" + f.name() + "'" + docHint(f));
            }
        }
        List<String> known = block.fieldNames();
        for (var e : values.entrySet()) {
            String key = String.valueOf(e.getKey());
            var field = block.field(key);
            if (field.isEmpty()) {
                error(append(at, key), "unknown field '" + key + "'" + Suggestions.didYouMean(key, known)
                        + (known.isEmpty() ? "" : "; known fields: " + String.join(", ", known)));
            } else if (e.getValue() != null) {
                checkValue(field.get(), e.getValue(), append(at, key));
            }
        }
    }

    private void checkValue(Field f, Object v, List<String> at) {
        if (v instanceof Ref) {
            return; // another step's output: checked when it is known
        }
        String name = at.get(at.size() - 1);
        switch (f.kind()) {
            case ANY -> {
            }
            case TEXT, PATH -> {
                if (!isScalar(v) || (f.kind() == FieldKind.PATH && v instanceof Boolean)) {
                    wrong(f, v, at);
                } else if (!f.choices().isEmpty() && v instanceof String s
                        && !f.choices().contains(s)) {
                    error(at, "'" + name + "' must be one of " + String.join(", ", f.choices()) + ", not '" + s + "'"
                            + Suggestions.didYouMean(s, f.choices()));
                }
            }
            case SECRET -> {
                if (!(v instanceof SecretRef)) {
                    error(at, "'" + name + "' must be a secret reference, such as {secret: env:NAME} or {secret: file:PATH}"
                            + " (a secret's value is never written in the pipeline file), found " + describe(v));
                }
            }
            case TEXT_OR_SECRET -> {
                if (!isScalar(v) && !(v instanceof SecretRef)) {
                    wrong(f, v, at);
                }
            }
            case NUMBER -> {
                if (!(v instanceof Long || v instanceof Integer || v instanceof BigDecimal || v instanceof Template
                        || v instanceof String s && isNumber(s))) {
                    wrong(f, v, at);
                }
            }
            case BOOL -> {
                if (!(v instanceof Boolean || v instanceof Template || "true".equals(v) || "false".equals(v))) {
                    wrong(f, v, at);
                }
            }
            case LIST -> {
                if (v instanceof List<?> items) {
                    for (int i = 0; i < items.size(); i++) {
                        if (items.get(i) != null) {
                            checkItem(f, items.get(i), at, "[" + i + "]");
                        }
                    }
                } else if (isScalar(v)) {
                    checkItem(f, v, at, null); // a single value counts as a one-item list
                } else {
                    wrong(f, v, at);
                }
            }
            case MAP -> {
                if (!(v instanceof Map<?, ?> m)) {
                    wrong(f, v, at);
                } else if (!f.fields().isEmpty()) {
                    checkBlock(f, m, at);
                } else {
                    m.forEach((k, item) -> {
                        if (item != null) {
                            checkItem(f, item, append(at, String.valueOf(k)), null);
                        }
                    });
                }
            }
            case REFERENCE -> wrong(f, v, at);
        }
    }

    private void checkItem(Field container, Object item, List<String> at, String index) {
        if (container.itemKind() == FieldKind.ANY) {
            return;
        }
        List<String> where = index == null ? at : indexed(at, index);
        checkValue(Field.of(where.get(where.size() - 1), container.itemKind()), item, where);
    }

    private void wrong(Field f, Object v, List<String> at) {
        String expected = switch (f.kind()) {
            case TEXT -> "a single value";
            case TEXT_OR_SECRET -> "a single value or a secret reference such as 'env:NAME'";
            case PATH -> "a path (text)";
            case NUMBER -> "a number";
            case BOOL -> "true or false";
            case LIST -> "a list" + (f.itemKind() == FieldKind.ANY ? "" : " of " + f.itemKind().word());
            case MAP -> "a map";
            case REFERENCE -> "a reference to another step's output, such as ${{ <step>.<output> }}";
            default -> f.kind().word();
        };
        error(at, "'" + at.get(at.size() - 1) + "' must be " + expected + ", found " + describe(v));
    }

    private static String docHint(Field f) {
        return f.doc().isEmpty() ? "" : " (" + f.doc() + ")";
    }

    private static boolean isScalar(Object v) {
        return v instanceof String || v instanceof Long || v instanceof Integer || v instanceof BigDecimal
                || v instanceof Boolean || v instanceof Template;
    }

    private static boolean isNumber(String s) {
        try {
            new BigDecimal(s.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static String describe(Object v) {
        if (v instanceof SecretRef) {
            return "a secret reference";
        }
        if (v instanceof Map) {
            return "a map";
        }
        if (v instanceof List) {
            return "a list";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof String || v instanceof Template) {
            return "a string";
        }
        return "a number";
    }

    private static List<String> append(List<String> at, String key) {
        List<String> out = new ArrayList<>(at);
        out.add(key);
        return out;
    }

    private static List<String> indexed(List<String> at, String index) {
        List<String> out = new ArrayList<>(at);
        out.set(out.size() - 1, out.get(out.size() - 1) + index);
        return out;
    }

    private void error(List<String> field, String message) {
        StepProblems.error(spec, problems, field, message);
    }
}
