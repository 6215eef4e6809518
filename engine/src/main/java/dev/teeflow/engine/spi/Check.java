package dev.teeflow.engine.spi;

/**
 * Whether a step's recorded outputs still hold in the world (the file still has its hash, the
 * registry still serves the digest, the chain still has the app), and if not, why.
 *
 * @param restorable gone, but running the step again gives back exactly the recorded outputs (it puts the
 *                   same value back), so what depends on them need not run again
 * @param unknown    could not be checked (the chain or the SMS does not answer): plan and apply stop at
 *                   this step rather than run it, and maybe pay, again
 */
public record Check(boolean stillHolds, String reason, boolean restorable, boolean unknown) {
    private static final Check HOLDS = new Check(true, null, false, false);

    public static Check holds() {
        return HOLDS;
    }

    /** The outputs no longer hold; {@code reason} is shown in the plan ("image no longer in registry"). */
    public static Check gone(String reason) {
        return new Check(false, reason, false, false);
    }

    /** The outputs no longer hold, and running again restores them exactly (the same key put back). */
    public static Check restorable(String reason) {
        return new Check(false, reason, true, false);
    }

    /** Whether the outputs hold cannot be known now; {@code reason} says what could not be asked. */
    public static Check unknown(String reason) {
        return new Check(false, reason, false, true);
    }
}
