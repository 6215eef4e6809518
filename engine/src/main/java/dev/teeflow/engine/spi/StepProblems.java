package dev.teeflow.engine.spi;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import java.util.Arrays;
import java.util.List;

/**
 * Records a problem with one input of a step where the user wrote it: at the field's node when the step
 * remembers its source, at the nearest written block above it when the field is missing, else at the step.
 */
public final class StepProblems {
    private StepProblems() {
    }

    /** {@code field} is dotted ({@code git.remote}); a list item is written {@code args[1]}. */
    public static void error(StepSpec spec, Problems problems, String field, String message) {
        error(spec, problems, Arrays.asList(field.split("\\.")), message);
    }

    static void error(StepSpec spec, Problems problems, List<String> field, String message) {
        ConfigNode source = spec.source();
        ConfigNode node = source;
        ConfigNode nearest = source;
        int found = 0;
        for (String part : field) {
            String key = part.replaceFirst("\\[\\d+]$", "");
            if (node == null || !node.isMap() || node.get(key) == null) {
                node = null;
                break;
            }
            node = node.get(key);
            if (!key.equals(part) && node.isList()) {
                int i = Integer.parseInt(part.substring(key.length() + 1, part.length() - 1));
                node = i < node.items().size() ? node.items().get(i) : node;
            }
            nearest = node;
            found++;
        }
        String dotted = String.join(".", field);
        if (node != null && found == field.size() && !field.isEmpty()) {
            problems.error(node, message);
        } else if (nearest != null && nearest.isMap()) {
            String rest = String.join(".", field.subList(found, field.size()));
            problems.error(nearest.location(), rest.isEmpty() ? nearest.path() : ConfigNode.childPath(nearest.path(), rest),
                    message);
        } else {
            problems.error(spec.location(), dotted.isEmpty() ? spec.address() : spec.address() + "." + dotted, message);
        }
    }
}
