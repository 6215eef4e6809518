package dev.teeflow.engine.spi;

/**
 * What a step type says of the records its older versions wrote ({@link StepType#upgradeFrom}): they
 * stand while their inputs and outputs still hold, or their external effect must be done again.
 *
 * @param redo whether the external effect of the old version must be done again
 * @param reason why, for the plan ("deals of version 1 did not ask for a result encryption key")
 */
public record TypeUpgrade(boolean redo, String reason) {
    private static final TypeUpgrade KEEP = new TypeUpgrade(false, null);

    public TypeUpgrade {
        if (redo && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a redo says why");
        }
    }

    /** The old version's record stands when its inputs and outputs still hold. */
    public static TypeUpgrade keep() {
        return KEEP;
    }

    /** The old version's effect must be done again; the plan shows {@code replace} with {@code reason}. */
    public static TypeUpgrade redo(String reason) {
        return new TypeUpgrade(true, reason);
    }
}
