package dev.teeflow.engine.plan;

/**
 * What a planned step was planned from, as digests only (never a value), so that a saved plan can tell
 * whether the world moved before it is applied.
 *
 * @param inputs digest of the step's resolved inputs and input files (for a step whose upstream will run
 *     first: of its written inputs)
 * @param upstream digest of the upstream outputs it reads, or {@code "pending"} when they are not known yet
 * @param state the recorded state of the step ({@code "none"}, or its recorded key and when it finished)
 */
public record StepFingerprint(String inputs, String upstream, String state) {
}
