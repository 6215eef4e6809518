package dev.teeflow.state.remote;

import dev.teeflow.engine.TeeflowException;

/**
 * How a remote state is locked: by the store itself ({@code store}, the default and the safe choice), or
 * not at all because something outside teeflow already lets only one run at a time use this state
 * ({@code external}: a CI concurrency group, a single scheduled job). Written as {@code lock:} in the
 * {@code state:} block.
 */
public enum LockMode {
    STORE, EXTERNAL;

    public static LockMode parse(String where, String text) {
        if (text == null || text.isBlank() || text.equals("store")) {
            return STORE;
        }
        if (text.equals("external")) {
            return EXTERNAL;
        }
        throw new TeeflowException(where + ": lock must be 'store' (the default: the store holds a lease lock) or"
                + " 'external' (runs are already one at a time, e.g. a CI concurrency group), not '" + text + "'");
    }
}
