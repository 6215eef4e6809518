package dev.teeflow.engine.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * A test's own environment for an engine, plus the {@code TEEFLOW_HOME} the build gives every test (the
 * module's target folder, set in the parent pom). Steps read teeflow's home from the environment the engine
 * hands them; without this, a test that names its environment would keep wallet locks and result-key ledgers
 * in the user's ~/.teeflow, and apart from the steps a test runs directly (which see the process's).
 */
public final class BuildHome {
    private BuildHome() {
    }

    public static Map<String, String> with(Map<String, String> env) {
        String home = System.getenv("TEEFLOW_HOME");
        if (home == null || env.containsKey("TEEFLOW_HOME")) {
            return env;
        }
        Map<String, String> withHome = new HashMap<>(env);
        withHome.put("TEEFLOW_HOME", home);
        return Map.copyOf(withHome);
    }
}
