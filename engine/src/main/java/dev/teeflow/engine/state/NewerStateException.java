package dev.teeflow.engine.state;

import dev.teeflow.engine.TeeflowException;

/**
 * State written by a newer teeflow than this one: never guessed at, never a reason to run a step again
 * (that could pay or deploy twice), always a request to upgrade teeflow.
 */
public final class NewerStateException extends TeeflowException {
    /**
     * @param what whose state ("the record of run.check.deal (.teeflow/state/run.check.deal.json)")
     * @param versionName which version is too new ("record schema", "key scheme", "step type run.deal version")
     */
    public NewerStateException(String what, String versionName, int found, int known) {
        super(what + " was written by a newer teeflow (" + versionName + " " + found + ", this teeflow knows "
                + known + "): upgrade teeflow");
    }
}
