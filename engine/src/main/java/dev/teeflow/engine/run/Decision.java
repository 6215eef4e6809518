package dev.teeflow.engine.run;

import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.state.StepRecord;
import java.util.Map;

/**
 * What the evaluator decided for one step, with what it needs to run it.
 *
 * @param upgraded for a step that stays up to date across a teeflow upgrade, its record keyed again the
 *     way this teeflow keys it (apply writes it); otherwise {@code null}
 */
record Decision(Action action, String reason, String detail, Inputs inputs, CacheKeyHolder key,
                StepRecord record, Outputs recordedOutputs, Map<String, Object> intent, StepRecord upgraded) {
    /** The key and its digests, absent when inputs could not be resolved. */
    record CacheKeyHolder(String value, Map<String, String> digests) {
    }

    static Decision blocked(String reason) {
        return new Decision(Action.BLOCKED, reason, null, null, null, null, null, null, null);
    }
}
