package dev.teeflow.engine.spi;

/**
 * Whether a step's recorded outputs still hold in the world (the file still has its hash, the
 * registry still serves the digest, the chain still has the app), and if not, why.
 */
public record Check(boolean stillHolds, String reason) {
    private static final Check HOLDS = new Check(true, null);

    public static Check holds() {
        return HOLDS;
    }

    /** The outputs no longer hold; {@code reason} is shown in the plan ("image no longer in registry"). */
    public static Check gone(String reason) {
        return new Check(false, reason);
    }
}
