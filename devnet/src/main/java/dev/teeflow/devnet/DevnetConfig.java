package dev.teeflow.devnet;

import dev.teeflow.devnet.chain.CacheDir;
import dev.teeflow.devnet.chain.DevChainConfig;
import dev.teeflow.protocol.devnet.DevnetInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One devnet: its name, its directory ({@code ${TEEFLOW_HOME:-~/.teeflow}/devnet/<name>/}), its ports, its chain id
 * and the teeflow cache (npm packages, chain snapshot).
 */
public record DevnetConfig(String name, Path dir, DevnetPorts ports, long chainId, Path cacheDir) {
    public static final String DEFAULT_NAME = "default";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    public DevnetConfig {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(cacheDir, "cacheDir");
        requireValidName(name);
    }

    public static void requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new DevnetException("devnet name '" + name + "' is invalid: use letters, digits, '.', '_' or '-' "
                    + "(at most 63, starting with a letter or digit)");
        }
    }

    /** The devnet named {@code name} under the teeflow home, with the default chain id and cache. */
    public static DevnetConfig of(Path teeflowHome, String name, DevnetPorts ports) {
        requireValidName(name);
        return new DevnetConfig(name, dirOf(teeflowHome, name), ports, DevChainConfig.DEFAULT_CHAIN_ID,
                CacheDir.resolve());
    }

    public static Path dirOf(Path teeflowHome, String name) {
        requireValidName(name);
        return teeflowHome.resolve("devnet").resolve(name);
    }

    public DevnetConfig withCacheDir(Path cache) {
        return new DevnetConfig(name, dir, ports, chainId, cache);
    }

    /** Reads a devnet's devnet.json; a clear error when it is missing or unreadable. */
    public static DevnetInfo readInfo(Path file) {
        try {
            return DevnetInfo.read(file);
        } catch (IOException e) {
            throw new DevnetException("cannot read " + file + " (" + e.getMessage() + "): is the devnet up? "
                    + "Run `teeflow devnet up`", e);
        }
    }

    /** Writes this devnet's devnet.json at mode 0600 (it lists the test accounts' keys), atomically. */
    public void writeInfo(DevnetInfo info) {
        try {
            info.write(infoFile());
        } catch (IOException e) {
            throw new DevnetException("cannot write " + infoFile() + ": " + e.getMessage(), e);
        }
    }

    // Files of a devnet directory.
    public Path infoFile() { return dir.resolve(DevnetInfo.FILE_NAME); }
    public Path configFile() { return dir.resolve("config.json"); }
    public Path daemonPidFile() { return dir.resolve("daemon.pid"); }
    public Path anvilPidFile() { return dir.resolve("anvil.pid"); }
    public Path failureFile() { return dir.resolve("failed.txt"); }
    public Path logDir() { return dir.resolve("logs"); }
    public Path chainStateFile() { return dir.resolve("chain-state.json"); }
    public Path dataDir() { return dir.resolve("data"); }
}
