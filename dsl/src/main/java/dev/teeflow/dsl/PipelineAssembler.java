package dev.teeflow.dsl;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.config.Suggestions;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.spi.SectionType;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.engine.state.StateSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a parsed tree into the engine's model, whatever front-end produced it: checks the header,
 * substitutes parameters and environment variables, hands each top-level section to its
 * {@link SectionType} and checks the steps they emit. Every problem is recorded, none stops the others.
 * References between steps and cycles are the engine's graph's business, not checked here.
 */
final class PipelineAssembler {
    static final String API_VERSION = "teeflow/v1";
    static final String KIND = "Pipeline";
    /** Keys of the file's header; every other top-level key is a section. */
    static final Set<String> HEADER_KEYS = Set.of("apiVersion", "kind", "name", "description", "allow-outside-paths", "params",
            "state");

    private final Registry registry;

    PipelineAssembler(Registry registry) {
        this.registry = registry;
    }

    Pipeline assemble(Path file, ConfigNode parsed, Map<String, String> params, Map<String, String> env, Problems problems) {
        if (!parsed.isMap()) {
            problems.error(parsed, "a pipeline file is a map that starts with 'apiVersion: " + API_VERSION + "', found "
                    + parsed.describeKind());
            problems.throwIfAny();
        }
        ConfigNode paramsBlock = parsed.get("params");
        if (paramsBlock != null) {
            paramsBlock = new Interpolator(null, env, problems).apply(paramsBlock);
        }
        Map<String, String> values = Params.resolve(paramsBlock, params, file, problems);
        java.util.Set<String> withoutValue = new java.util.HashSet<>();
        if (paramsBlock != null && paramsBlock.isMap()) {
            withoutValue.addAll(paramsBlock.entries().keySet());
            withoutValue.removeAll(values.keySet());
        }
        ConfigNode root = substituteOutsideParams(parsed, new Interpolator(values, withoutValue, env, problems));

        String name = readHeader(root, problems);
        StateSettings state = StateBlock.read(root.get("state"), problems);
        List<StepSpec> steps = expandSections(root, problems);
        checkSteps(steps, problems);
        problems.throwIfAny();

        Map<String, StepSpec> byAddress = new LinkedHashMap<>();
        steps.forEach(s -> byAddress.putIfAbsent(s.address(), s));
        Path projectDir = file.toAbsolutePath().normalize().getParent();
        ConfigNode outside = root.get("allow-outside-paths");
        boolean pathsMayLeave = outside != null && Boolean.TRUE.equals(outside.value());
        return new Pipeline(name, file, projectDir, byAddress, pathsMayLeave, state);
    }

    private static ConfigNode substituteOutsideParams(ConfigNode root, Interpolator interpolator) {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        root.entries().forEach((k, v) -> entries.put(k, k.equals("params") ? v : interpolator.apply(v)));
        return ConfigNode.map(root.path(), root.location(), entries);
    }

    private String readHeader(ConfigNode root, Problems problems) {
        MapReader r = new MapReader(root, problems);
        Optional<ConfigNode> apiVersion = r.node("apiVersion");
        if (apiVersion.isEmpty()) {
            problems.error(root.location(), "apiVersion", "missing 'apiVersion: " + API_VERSION + "' at the top of the file");
        } else if (!API_VERSION.equals(apiVersion.get().asText())) {
            problems.error(apiVersion.get(), "unsupported apiVersion '" + apiVersion.get().asText() + "'; this teeflow reads '"
                    + API_VERSION + "'");
        }
        Optional<ConfigNode> kind = r.node("kind");
        if (kind.isEmpty()) {
            problems.error(root.location(), "kind", "missing 'kind: " + KIND + "'");
        } else if (!KIND.equals(kind.get().asText())) {
            problems.error(kind.get(), "unsupported kind '" + kind.get().asText() + "'; expected '" + KIND + "'");
        }
        String name = r.requiredString("name");
        r.optionalString("description");
        r.bool("allow-outside-paths", false);
        r.allow("params", "state");
        for (var e : root.entries().entrySet()) {
            String key = e.getKey();
            if (!HEADER_KEYS.contains(key) && !registry.sectionTypes().containsKey(key)) {
                Set<String> known = new LinkedHashSet<>(HEADER_KEYS);
                known.addAll(registry.sectionTypes().keySet());
                problems.error(e.getValue().location(), e.getValue().path(), "unknown top-level key '" + key + "'"
                        + Suggestions.didYouMean(key, known) + "; known sections: "
                        + String.join(", ", registry.sectionTypes().keySet()));
            }
        }
        return name;
    }

    private List<StepSpec> expandSections(ConfigNode root, Problems problems) {
        List<StepSpec> steps = new ArrayList<>();
        for (var e : root.entries().entrySet()) {
            SectionType section = registry.sectionTypes().get(e.getKey());
            if (section != null && !HEADER_KEYS.contains(e.getKey())) {
                section.expand(e.getValue(), root, problems, steps::add);
            }
        }
        return steps;
    }

    /**
     * Whether the section that made {@code step} already reported a problem inside the step's block: then the
     * schema check would only say the same thing twice.
     */
    private static boolean reportedInside(StepSpec step, Problems problems) {
        if (step.source() == null || step.source().path() == null || step.source().path().isEmpty()) {
            return false;
        }
        String block = step.source().path();
        return problems.all().stream().anyMatch(d -> d.path() != null
                && (d.path().equals(block) || d.path().startsWith(block + ".") || d.path().startsWith(block + "[")));
    }

    private void checkSteps(List<StepSpec> steps, Problems problems) {
        Map<String, StepSpec> seen = new LinkedHashMap<>();
        for (StepSpec step : steps) {
            StepSpec first = seen.putIfAbsent(step.address(), step);
            if (first != null) {
                problems.error(first.location(), step.address(), "duplicate step address '" + step.address()
                        + "', declared again at " + step.location());
                problems.error(step.location(), step.address(), "duplicate step address '" + step.address()
                        + "', first declared at " + first.location());
                continue;
            }
            Optional<StepType> type = registry.stepType(step.type());
            if (type.isEmpty()) {
                problems.error(step.location(), step.address(), registry.unknownStepTypeMessage(step.type()));
                continue;
            }
            if (!reportedInside(step, problems)) {
                type.get().schema().check(step, problems); // the same check for steps: and for sections
                type.get().validate(step, problems);
            }
        }
    }
}
