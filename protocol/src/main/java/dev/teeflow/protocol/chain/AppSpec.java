package dev.teeflow.protocol.chain;

import java.util.Objects;

/**
 * The arguments of {@code AppRegistry.createApp}: the same values always give the same (CREATE2) address.
 *
 * @param multiaddr text form (docker image reference, https URL or /ipfs/..), encoded by {@link Multiaddr}
 * @param checksum  0x + 64 hex (the image manifest digest)
 * @param mrenclave raw bytes (empty for TDX apps, the UTF-8 JSON for SCONE)
 */
public record AppSpec(String owner, String name, String type, String multiaddr, String checksum, byte[] mrenclave) {
    public AppSpec {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(multiaddr, "multiaddr");
        Bytes32.check(checksum, "app checksum");
        mrenclave = mrenclave == null ? new byte[0] : mrenclave.clone();
    }

    /** A docker app, the only type iExec workers run. */
    public static AppSpec docker(String owner, String name, String image, String checksum, byte[] mrenclave) {
        return new AppSpec(owner, name, "DOCKER", image, checksum, mrenclave);
    }

    @Override
    public byte[] mrenclave() {
        return mrenclave.clone();
    }
}
