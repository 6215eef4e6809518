package dev.teeflow.engine.spi;

import java.nio.file.Path;

/** A path as a user writes it in a pipeline: relative to a folder, or to the user's home when it starts with {@code ~/}. */
public final class WrittenPaths {
    private WrittenPaths() {
    }

    /** {@code ~} and {@code ~/x} from the user's home (an SSH key, a known_hosts file); anything else from {@code base}. */
    public static Path resolve(Path base, String written) {
        if (written.equals("~") || written.startsWith("~/")) {
            Path home = Path.of(System.getProperty("user.home"));
            return written.length() <= 2 ? home : home.resolve(written.substring(2)).normalize();
        }
        return base.resolve(written).normalize();
    }
}
