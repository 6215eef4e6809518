package dev.teeflow.engine.plan;

import java.util.List;

/** What apply would do, step by step, in dependency order. */
public record Plan(String pipeline, List<PlannedStep> steps) {
    public boolean hasChanges() {
        return steps.stream().anyMatch(s -> s.action() != Action.UP_TO_DATE);
    }

    public long count(Action action) {
        return steps.stream().filter(s -> s.action() == action).count();
    }
}
