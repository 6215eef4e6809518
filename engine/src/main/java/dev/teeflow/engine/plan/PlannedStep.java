package dev.teeflow.engine.plan;

import dev.teeflow.engine.model.Effect;
import java.util.List;

/**
 * One row of a plan.
 *
 * @param reason why the step will (or won't) run, for a person
 * @param detail the step type's forecast ("will deploy app at 0x..."), or {@code null}
 * @param upstream the steps it depends on
 */
public record PlannedStep(String address, String type, Effect effect, Action action, String reason, String detail,
                          List<String> upstream) {
}
