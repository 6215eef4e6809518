package dev.teeflow.devnet.chain;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to start the devnet chain.
 *
 * @param port      RPC port on 127.0.0.1 (0 = any free port)
 * @param chainId   the chain id anvil reports
 * @param cacheDir  the teeflow cache (npm packages and the deployed-chain snapshot)
 * @param stateFile where this devnet keeps its chain between runs (null = start from the fresh snapshot
 *                  every time and forget changes at stop)
 * @param logFile   anvil's output (null = discarded)
 * @param progress  receives progress lines (downloads, deploy steps)
 */
public record DevChainConfig(int port, long chainId, Path cacheDir, Path stateFile, Path logFile,
                             Consumer<String> progress) {
    /** The devnet's chain id: not used by any public chain we know of, and not 31337 (every other dev node). */
    public static final long DEFAULT_CHAIN_ID = 134_134L;
    public static final int DEFAULT_PORT = 8545;

    public DevChainConfig {
        Objects.requireNonNull(cacheDir, "cacheDir");
        progress = progress == null ? line -> { } : progress;
    }

    public static DevChainConfig defaults() {
        return new DevChainConfig(DEFAULT_PORT, DEFAULT_CHAIN_ID, CacheDir.resolve(), null, null, null);
    }

    public DevChainConfig withPort(int newPort) {
        return new DevChainConfig(newPort, chainId, cacheDir, stateFile, logFile, progress);
    }

    public DevChainConfig withChainId(long newChainId) {
        return new DevChainConfig(port, newChainId, cacheDir, stateFile, logFile, progress);
    }

    public DevChainConfig withCacheDir(Path dir) {
        return new DevChainConfig(port, chainId, dir, stateFile, logFile, progress);
    }

    public DevChainConfig withStateFile(Path file) {
        return new DevChainConfig(port, chainId, cacheDir, file, logFile, progress);
    }

    public DevChainConfig withLogFile(Path file) {
        return new DevChainConfig(port, chainId, cacheDir, stateFile, file, progress);
    }

    public DevChainConfig withProgress(Consumer<String> listener) {
        return new DevChainConfig(port, chainId, cacheDir, stateFile, logFile, listener);
    }
}
