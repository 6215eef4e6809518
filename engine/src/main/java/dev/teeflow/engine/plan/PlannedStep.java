package dev.teeflow.engine.plan;

import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.spi.StepCost;
import java.util.List;

/**
 * One row of a plan.
 *
 * @param reason why the step will (or won't) run, for a person
 * @param detail the step type's forecast ("will deploy app at 0x..."), or {@code null}
 * @param upstream the steps it depends on
 * @param cost what running it costs on chain, as its type forecasts it; {@code null} when it costs nothing
 *     or will not run
 * @param fingerprint digests of what it was planned from (for saved plans), or {@code null}
 */
public record PlannedStep(String address, String type, Effect effect, Action action, String reason, String detail,
                          List<String> upstream, StepCost cost, StepFingerprint fingerprint) {
    /** A row without a cost forecast. */
    public PlannedStep(String address, String type, Effect effect, Action action, String reason, String detail,
                       List<String> upstream) {
        this(address, type, effect, action, reason, detail, upstream, null, null);
    }
}
