package dev.teeflow.devnet.chain;

import java.nio.file.Path;
import java.util.Map;

/** Where teeflow keeps downloaded packages and chain snapshots: $TEEFLOW_CACHE, else ~/.cache/teeflow. */
public final class CacheDir {
    public static final String ENV = "TEEFLOW_CACHE";

    private CacheDir() {
    }

    public static Path resolve() {
        return resolve(System.getenv(), System.getProperty("user.home"));
    }

    static Path resolve(Map<String, String> env, String userHome) {
        String override = env.get(ENV);
        if (override != null && !override.isBlank()) {
            return Path.of(override).toAbsolutePath();
        }
        return Path.of(userHome, ".cache", "teeflow");
    }
}
