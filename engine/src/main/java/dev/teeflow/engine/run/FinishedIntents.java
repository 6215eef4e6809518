package dev.teeflow.engine.run;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.state.Intent;
import dev.teeflow.engine.state.StateStore;
import java.util.Optional;

/**
 * The last intent of an external step that finished, kept beside its record (as the intent of the pseudo
 * address {@code <address>.~finished}, so it is stored, and encrypted, like any intent). When the record is
 * damaged later, the step resumes from it (a deal is read back from the chain by its recorded id or request
 * order's hash) instead of acting again.
 */
final class FinishedIntents {
    static final String SUFFIX = ".~finished";

    private FinishedIntents() {
    }

    /** Copies the step's current intent, if it recorded one, before it is cleared. */
    static void keep(StateStore store, String address) {
        store.readIntent(address).ifPresent(i ->
                store.writeIntent(new Intent(address + SUFFIX, i.key(), i.recordedAt(), i.values())));
    }

    /** The finished intent recorded for the same inputs, if any is readable. */
    static Optional<Intent> of(StateStore store, String address, java.util.function.Predicate<Intent> sameInputs) {
        try {
            return store.readIntent(address + SUFFIX).filter(sameInputs);
        } catch (TeeflowException damaged) {
            return Optional.empty();
        }
    }
}
