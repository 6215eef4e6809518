package dev.teeflow.engine.run;

import java.util.List;

/** The end of an apply: every step's outcome, in dependency order. */
public record Report(List<StepOutcome> outcomes) {
    public boolean succeeded() {
        return outcomes.stream().noneMatch(o -> o.status() == StepOutcome.Status.FAILED
                || o.status() == StepOutcome.Status.NOT_RUN);
    }

    public long count(StepOutcome.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }
}
