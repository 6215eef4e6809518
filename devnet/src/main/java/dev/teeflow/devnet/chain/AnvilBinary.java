package dev.teeflow.devnet.chain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the anvil executable: $TEEFLOW_ANVIL if set, else the pinned npm package (installed on first use). */
public final class AnvilBinary {
    public static final String ENV = "TEEFLOW_ANVIL";

    private AnvilBinary() {
    }

    public static Path locate(NpmInstaller installer) {
        String override = System.getenv(ENV);
        if (override != null && !override.isBlank()) {
            Path path = Path.of(override);
            if (!Files.isExecutable(path)) {
                throw new DevChainException(ENV + "=" + override + " is not an executable file");
            }
            return path;
        }
        Path binary = installer.install(PinnedPackages.anvilForThisPlatform()).resolve("bin").resolve("anvil");
        if (!Files.isRegularFile(binary)) {
            throw new DevChainException("the anvil package has no bin/anvil at " + binary
                    + ": delete " + binary.getParent().getParent().getParent() + " and try again");
        }
        if (!Files.isExecutable(binary) && !binary.toFile().setExecutable(true, false)) {
            throw new DevChainException("cannot make " + binary + " executable");
        }
        return binary;
    }

    /** The first line of {@code anvil --version}, e.g. "anvil Version: 1.7.1". */
    public static String version(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return out.lines().findFirst().orElse("unknown");
        } catch (IOException e) {
            throw new DevChainException("cannot run " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevChainException("interrupted", e);
        }
    }
}
