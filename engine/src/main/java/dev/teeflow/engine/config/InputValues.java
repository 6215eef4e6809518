package dev.teeflow.engine.config;

import dev.teeflow.engine.model.Template;
import dev.teeflow.engine.secret.SecretRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns written values into step input values: strings with {@code ${{ step.output }}} become
 * {@link dev.teeflow.engine.model.Ref}s or {@link Template}s, {@code {secret: env:NAME}} becomes a
 * {@link SecretRef}, lists and maps keep their shape. Shared by every section type so that the same
 * text means the same thing everywhere.
 */
public final class InputValues {
    private InputValues() {
    }

    /** The input value for {@code node}; records a problem and returns {@code null} on bad syntax. */
    public static Object read(ConfigNode node, Problems problems) {
        switch (node.kind()) {
            case SCALAR -> {
                if (node.value() instanceof String s) {
                    try {
                        return Template.parse(s);
                    } catch (IllegalArgumentException e) {
                        problems.error(node, e.getMessage());
                        return null;
                    }
                }
                return node.value();
            }
            case LIST -> {
                List<Object> out = new ArrayList<>();
                for (ConfigNode item : node.items()) {
                    out.add(read(item, problems));
                }
                return out;
            }
            default -> {
                if (node.entries().size() == 1 && node.get("secret") != null) {
                    return secretRef(node, problems).orElse(null);
                }
                Map<String, Object> out = new LinkedHashMap<>();
                node.entries().forEach((k, v) -> out.put(k, read(v, problems)));
                return out;
            }
        }
    }

    /**
     * A secret reference written as {@code env:NAME} / {@code file:PATH}, or as a map
     * {@code {secret: env:NAME}}. Records a problem when it is anything else.
     */
    public static Optional<SecretRef> secretRef(ConfigNode node, Problems problems) {
        ConfigNode text = node.isMap() && node.get("secret") != null ? node.get("secret") : node;
        if (text.isScalar() && text.value() instanceof String s) {
            Optional<SecretRef> ref = SecretRef.parse(s);
            if (ref.isPresent() && !ref.get().scheme().equals(SecretRef.STEP)) {
                return ref;
            }
        }
        problems.error(text, "expected a secret reference such as 'env:NAME' or 'file:PATH'"
                + " (a secret's value is never written in the pipeline file)");
        return Optional.empty();
    }
}
