package dev.teeflow.engine.spi;

import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.StepSpec;
import java.util.List;
import java.util.Set;

/**
 * A kind of step: one small class with one job (build an image, encrypt a file, deploy an app).
 * Found through {@link java.util.ServiceLoader}; must have a public no-argument constructor and keep
 * no state between calls.
 *
 * <p>The engine decides when to run a step: it runs when its cache key (type, {@link #version()},
 * inputs, the contents of {@link #inputFiles}, upstream outputs) differs from the recorded one, or
 * when {@link #verify} says the recorded outputs no longer hold.
 */
public interface StepType {
    /** The type's id as written in a pipeline file ({@code command}, {@code dataset.encrypt}). */
    String id();

    /**
     * Bump when the type's work changes. Pure steps made by an older version run again; external ones
     * are kept or done again as {@link #upgradeFrom} says. Every version has a pinned key in the
     * golden-key test.
     */
    default int version() {
        return 1;
    }

    /**
     * What a record made by {@code recordedVersion} (older than {@link #version()}) of this type means
     * for an external step. By default it stands while its inputs and outputs still hold: a new teeflow
     * never pays or deploys again on its own. Return {@link TypeUpgrade#redo} only when the effect the old
     * version made must really be made again; the plan then shows {@code replace} with the reason.
     */
    default TypeUpgrade upgradeFrom(int recordedVersion) {
        return TypeUpgrade.keep();
    }

    Effect effect();

    /** The effect of one step of this type; a type whose steps differ (a command) overrides it. */
    default Effect effectOf(StepSpec spec) {
        return effect();
    }

    /** Names of the outputs this step will produce, so that references can be checked before running. */
    Set<String> outputNames(StepSpec spec);

    /**
     * Checks the written inputs (required fields, types) and records each problem with its location
     * ({@link StepSpec#source()}). References are not resolved yet here.
     */
    default void validate(StepSpec spec, Problems problems) {
    }

    /** Files and folders whose contents must enter the cache key. */
    default List<InputFile> inputFiles(Inputs inputs) {
        return List.of();
    }

    /**
     * Whether the outputs recorded by the last run still hold in the world. Called by plan and apply
     * for steps whose key did not change; files declared as {@link Outputs.FileOutput} are checked by
     * the engine itself. May read remote state (registry, chain, SMS) but must change nothing.
     */
    default Check verify(StepContext context, Outputs recorded) throws Exception {
        return Check.holds();
    }

    /**
     * Inputs that limit how a step may run (a spending budget) but not what it produces: they never enter
     * its cache key, so changing them never makes a done step run (or pay) again.
     */
    default java.util.Set<String> unkeyedInputs() {
        return java.util.Set.of();
    }

    /**
     * A one-line forecast for the plan of what running would do, such as the predicted address of a
     * deploy; {@code null} when there is nothing more to say. Must change nothing.
     */
    default String preview(StepContext context) throws Exception {
        return null;
    }

    /**
     * What running would cost on chain (a payment, the gas of each transaction), for the plan's totals
     * and budgets; {@code null} when the step sends no transaction and pays nothing. Must change nothing.
     *
     * @param pending the inputs that come from upstream steps that have not run yet, by input name: they
     *     are absent from {@code context.inputs()}, and what depends on them is given as a bound or as
     *     unknown with the reason, never as zero
     */
    default StepCost cost(StepContext context, java.util.Map<String, PendingInput> pending) throws Exception {
        return null;
    }

    /** Does the work and returns the outputs. Throw a {@link dev.teeflow.engine.TeeflowException} with a clear message on failure. */
    Outputs run(StepContext context) throws Exception;
}
