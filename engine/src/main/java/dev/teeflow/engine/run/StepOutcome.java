package dev.teeflow.engine.run;

import java.time.Duration;

/** How one step ended in a run. */
public record StepOutcome(String address, Status status, String message, Duration duration) {
    public enum Status {
        /** Ran and succeeded. */
        DONE("done"),
        /** Nothing to do. */
        UP_TO_DATE("up-to-date"),
        FAILED("failed"),
        /** Not started, because something it needs failed or the run was stopped. */
        NOT_RUN("not run");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
