package dev.teeflow.dsl.steps;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.InputValues;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.NamedBlocks;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.SectionType;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@code steps:} section: steps of any registered type, written out by hand.
 *
 * <pre>
 * steps:
 *   hello:
 *     type: command
 *     with: { command: [echo, hi] }
 *     needs: [other]
 *     always: false
 * </pre>
 *
 * Each entry becomes one step whose address is its name and whose inputs are its {@code with} entries.
 */
public final class GenericStepsSection implements SectionType {
    @Override
    public String key() {
        return "steps";
    }

    @Override
    public String doc() {
        return "Steps of any type, written out by hand: each named block gives its type, its inputs under with: (checked"
                + " against the type's schema), and optionally needs: (steps to run first) and always: true. Example:"
                + " steps: { hello: { type: command, with: { command: [echo, hi] } } }.";
    }

    @Override
    public java.util.Map<String, String> makes() {
        return java.util.Map.of("<name>", "any step type");
    }

    @Override
    public void expand(ConfigNode section, ConfigNode root, Problems problems, Consumer<StepSpec> emit) {
        NamedBlocks.forEach(section, problems, "step", "{ hello: { type: command, with: { command: [echo, hi] } } }",
                "type, with, needs, always", (name, node) -> step(name, node, problems).ifPresent(emit));
    }

    private static java.util.Optional<StepSpec> step(String name, ConfigNode node, Problems problems) {
        MapReader r = new MapReader(node, problems);
        String type = r.requiredString("type");
        ConfigNode with = r.node("with").orElse(null);
        Map<String, Object> inputs = new LinkedHashMap<>();
        if (with != null && !with.isMap()) {
            problems.error(with, "'with' holds the step's inputs as a map, found " + with.describeKind());
            with = null;
        }
        if (with != null) {
            with.entries().forEach((k, v) -> inputs.put(k, InputValues.read(v, problems)));
        } else {
            with = ConfigNode.map(ConfigNode.childPath(node.path(), "with"), node.location(), Map.of());
        }
        var needs = new LinkedHashSet<>(r.strings("needs"));
        boolean always = r.bool("always", false);
        r.rejectUnknownKeys();
        if (type == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new StepSpec(name, type, inputs, needs, always, node.location(), with));
    }
}
