package dev.teeflow.protocol.home;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where teeflow keeps what outlives one project (the devnets and their {@code devnet.json}):
 * {@code $TEEFLOW_HOME}, or {@code ~/.teeflow} when it is unset or blank. The one rule for the steps,
 * the devnet and the command line.
 */
public final class TeeflowHome {
    public static final String ENV = "TEEFLOW_HOME";

    private TeeflowHome() {
    }

    /** The home {@code env} names. */
    public static Path of(Map<String, String> env) {
        String home = env.get(ENV);
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".teeflow");
    }
}
