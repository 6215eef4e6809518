package dev.teeflow.actions.testing;

import java.nio.file.Path;

/** Where scripts/install-iexec-cli.sh puts the official iExec CLI and SDK, by the script's own rules. */
public final class IexecCliInstall {
    private IexecCliInstall() {
    }

    /** The install folder (holding node_modules/iexec). */
    public static Path home() {
        String explicit = System.getenv("TEEFLOW_IEXEC_CLI_HOME");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String cache = System.getenv("TEEFLOW_CACHE");
        if (cache == null || cache.isBlank()) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            cache = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                    .resolve("teeflow").toString();
        }
        return Path.of(cache, "iexec-cli");
    }

    /** The `iexec` command: TEEFLOW_IEXEC_CLI, or the one in {@link #home()}. */
    public static Path binary() {
        String explicit = System.getenv("TEEFLOW_IEXEC_CLI");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        return home().resolve("node_modules/.bin/iexec");
    }
}
