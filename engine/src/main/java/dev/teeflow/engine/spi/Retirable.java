package dev.teeflow.engine.spi;

/**
 * A step type whose steps leave something in the world that must be taken back once the pipeline no longer
 * declares them (an open order that still grants access). Without it, the record of a step removed from the
 * file is simply left alone.
 *
 * <p>The step says in its outputs how to reach what it made: the map under {@link #RETIRE_WITH} (references
 * only, no secret values) becomes the context's inputs when it is retired, and the record's outputs its
 * {@link StepContext#previousOutputs()}. The plan shows such a step as {@code revoke}; apply calls
 * {@link #retire} and then drops the record.
 */
public interface Retirable {
    /** The output holding the inputs a retirement needs (for a chain step: its chain and wallet). */
    String RETIRE_WITH = "retire-with";

    /**
     * What retiring would take back, for the plan, from the recorded outputs alone (no network, no secrets);
     * {@code null} when there is nothing left to take back.
     */
    String retirePreview(Outputs recorded);

    /**
     * Takes it back. Must be safe to repeat: an interrupted retirement finds its {@link StepContext#intent()}
     * and resumes instead of sending again.
     */
    void retire(StepContext context) throws Exception;
}
