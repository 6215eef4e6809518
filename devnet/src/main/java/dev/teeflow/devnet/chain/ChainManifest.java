package dev.teeflow.devnet.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.teeflow.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the devnet deployed, stored as {@code manifest.json} next to the chain snapshot. Addresses are
 * EIP-55 checksummed. Amounts are in nRLC (9 decimals).
 */
public record ChainManifest(int formatVersion, long chainId, String pocoVersion, String rlcPackageVersion,
                            String anvilVersion, String deployer, String hub, String rlc, String appRegistry,
                            String datasetRegistry, String workerpoolRegistry, String workerpool,
                            String workerpoolOwner, String workerpoolDescription, int categories,
                            String rlcPerDevAccount) {
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes atomically: a reader never sees half a manifest. Public data (addresses): mode 0644. */
    public void write(Path file) {
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(this), false);
        } catch (IOException e) {
            throw new DevChainException("cannot write chain manifest " + file + ": " + e.getMessage(), e);
        }
    }

    public static ChainManifest read(Path file) {
        try {
            ChainManifest manifest = JSON.readValue(file.toFile(), ChainManifest.class);
            if (manifest.formatVersion() != FORMAT_VERSION) {
                throw new DevChainException("chain manifest " + file + " has format " + manifest.formatVersion()
                        + ", expected " + FORMAT_VERSION + ": delete its directory to redeploy");
            }
            return manifest;
        } catch (IOException e) {
            throw new DevChainException("cannot read chain manifest " + file + ": " + e.getMessage()
                    + " (delete its directory to redeploy)", e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
