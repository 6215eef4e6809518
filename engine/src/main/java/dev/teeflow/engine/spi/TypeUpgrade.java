package dev.teeflow.engine.spi;

import java.util.Set;

/**
 * What a step type says of the records its older versions wrote ({@link StepType#upgradeFrom}): they
 * stand while their inputs and outputs still hold, or their external effect must be done again.
 *
 * @param redo whether the external effect of the old version must be done again
 * @param reason why, for the plan ("deals of version 1 did not ask for a result encryption key")
 * @param newInputs inputs added since the recorded version, left out when comparing with its record
 */
public record TypeUpgrade(boolean redo, String reason, Set<String> newInputs) {
    private static final TypeUpgrade KEEP = new TypeUpgrade(false, null, Set.of());

    public TypeUpgrade {
        if (redo && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a redo says why");
        }
        newInputs = Set.copyOf(newInputs);
    }

    /** The old version's record stands when its inputs and outputs still hold. */
    public static TypeUpgrade keep() {
        return KEEP;
    }

    /**
     * The old version's record stands when the inputs it knew and its outputs still hold; {@code newInputs}
     * (added since, each with a default that does what the old version did) are not compared. Name every
     * input added after the recorded version, not only the last version's.
     */
    public static TypeUpgrade keepIgnoring(String... newInputs) {
        return new TypeUpgrade(false, null, Set.of(newInputs));
    }

    /** The old version's effect must be done again; the plan shows {@code replace} with {@code reason}. */
    public static TypeUpgrade redo(String reason) {
        return new TypeUpgrade(true, reason, Set.of());
    }
}
