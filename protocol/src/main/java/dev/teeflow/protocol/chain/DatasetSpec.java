package dev.teeflow.protocol.chain;

import java.util.Objects;

/** The arguments of {@code DatasetRegistry.createDataset} (CREATE2: same values, same address). */
public record DatasetSpec(String owner, String name, String multiaddr, String checksum) {
    public DatasetSpec {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(multiaddr, "multiaddr");
        Bytes32.check(checksum, "dataset checksum");
    }
}
