package dev.teeflow.engine.plan;

/** What a plan says will happen to a step. */
public enum Action {
    /** Recorded outputs match the inputs and still hold: nothing to do. */
    UP_TO_DATE("up-to-date"),
    /** Never ran. */
    CREATE("create"),
    /** Ran before, but something changed (the reason says what). */
    RERUN("re-run"),
    /**
     * Ran under an older version of its step type whose external effect must be made again (the reason
     * says why).
     */
    REPLACE("replace"),
    /** An interrupted run recorded what it was waiting for; the step picks it up. */
    RESUME("resume"),
    /**
     * Recorded, but no longer declared (or declared as revoked): what it left in the world is taken back
     * (an open order is closed) and its record dropped.
     */
    REVOKE("revoke"),
    /** Cannot run as things are (a secret is not set, an input is wrong): the reason says why. */
    BLOCKED("blocked");

    private final String label;

    Action(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean willRun() {
        return this == CREATE || this == RERUN || this == REPLACE || this == RESUME || this == REVOKE;
    }
}
