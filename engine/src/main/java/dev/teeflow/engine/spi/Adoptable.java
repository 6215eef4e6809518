package dev.teeflow.engine.spi;

/**
 * A step type that can take over what another tool already made (an app the iExec CLI deployed, a key
 * it pushed to the SMS) instead of making it again: {@code teeflow import}. The engine then records the
 * outputs with the step's current cache key, so the next apply finds the step up to date.
 *
 * <p>An adoption checks before it keeps anything: the world must hold exactly what the step's inputs
 * describe. It writes (a kept secret, a work file) only once every check passed, never sends a
 * transaction or pushes anything.
 */
public interface Adoptable {
    /**
     * The outputs running this step would have given, for what already exists.
     *
     * @throws NothingToAdoptException when there is nothing of this step out there yet (apply will make it)
     * @throws dev.teeflow.engine.TeeflowException when what is out there differs from what the inputs
     *     describe, naming the file and the field that differ
     */
    Outputs adopt(StepContext context) throws Exception;
}
