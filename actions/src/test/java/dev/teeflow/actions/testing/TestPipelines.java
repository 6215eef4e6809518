package dev.teeflow.actions.testing;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.EngineOptions;
import dev.teeflow.engine.run.RunListener;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.spi.SectionType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed pipeline tree turned into steps and an engine the way the front-end does it, without the dsl
 * module: each top-level key handed to its registered section type.
 */
public final class TestPipelines {
    private TestPipelines() {
    }

    /** The steps the registered sections make of {@code root}, by address; problems go to {@code problems}. */
    public static Map<String, StepSpec> expand(ConfigNode root, Registry registry, Problems problems) {
        Map<String, StepSpec> steps = new LinkedHashMap<>();
        root.entries().forEach((key, node) -> {
            SectionType section = registry.sectionTypes().get(key);
            if (section != null) {
                section.expand(node, root, problems, s -> steps.put(s.address(), s));
            }
        });
        return steps;
    }

    /** An engine over {@code steps} with state in {@code project/.teeflow}, collecting every step log line. */
    public static Engine engine(String name, Path project, Map<String, StepSpec> steps, Registry registry,
                                Map<String, String> env, List<String> logs) {
        RunListener listener = new RunListener() {
            @Override
            public void stepLog(String address, String kind, String line) {
                logs.add(address + " " + kind + ": " + line);
            }
        };
        EngineOptions options = EngineOptions.defaults(project.resolve(".teeflow")).withEnv(dev.teeflow.engine.testing.BuildHome.with(env)).withListener(listener);
        return Engine.open(new Pipeline(name, project.resolve("teeflow.yml"), project, steps), registry, options);
    }
}
