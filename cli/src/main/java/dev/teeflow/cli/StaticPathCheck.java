package dev.teeflow.cli;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.graph.StepGraph;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.model.Template;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Inputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The path problems {@code plan} would block a step on (a path leaving the project, a path of the
 * wrong type), found by {@code validate} without running anything: each step whose inputs are written
 * out in full (no reference to another step's output, no secret) has its input files named by its
 * step type, which resolves each path against the project and refuses one that leaves it before
 * looking at it. Files are not hashed, secrets not resolved, and a pipeline that allows outside paths
 * is not checked, so nothing outside the project is read.
 */
final class StaticPathCheck {
    private StaticPathCheck() {
    }

    static List<Diagnostic> problems(Pipeline pipeline, StepGraph graph) {
        List<Diagnostic> problems = new ArrayList<>();
        if (pipeline.pathsMayLeaveProject()) {
            return problems;
        }
        for (StepSpec spec : pipeline.steps().values()) {
            if (!writtenOut(spec.inputs())) {
                continue; // known only once the referenced steps ran: plan checks it then
            }
            try {
                graph.type(spec.address()).inputFiles(Inputs.of(spec.address(), pipeline.projectDir(), spec.inputs()));
            } catch (TeeflowException e) {
                problems.add(new Diagnostic(spec.location(), "", e.getMessage()));
            }
        }
        return problems;
    }

    private static boolean writtenOut(Object value) {
        return switch (value) {
            case Ref r -> false;
            case Template t -> false;
            case SecretRef s -> false;
            case Map<?, ?> m -> m.values().stream().allMatch(StaticPathCheck::writtenOut);
            case List<?> l -> l.stream().allMatch(StaticPathCheck::writtenOut);
            case null, default -> true;
        };
    }
}
