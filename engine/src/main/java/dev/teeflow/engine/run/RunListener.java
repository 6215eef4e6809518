package dev.teeflow.engine.run;

import dev.teeflow.engine.plan.PlannedStep;

/**
 * What a run tells the outside world as it goes. Every text has already been through the redactor.
 * Calls come from several threads.
 */
public interface RunListener {
    default void stepStarted(PlannedStep step) {
    }

    /** {@code kind} is info, warn or output. */
    default void stepLog(String address, String kind, String line) {
    }

    default void stepProgress(String address, String what, long done, long total, String unit) {
    }

    default void stepFinished(StepOutcome outcome) {
    }

    RunListener NONE = new RunListener() { };
}
