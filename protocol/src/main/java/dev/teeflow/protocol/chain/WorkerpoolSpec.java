package dev.teeflow.protocol.chain;

import java.util.Objects;

/** The arguments of {@code WorkerpoolRegistry.createWorkerpool} (CREATE2: same values, same address). */
public record WorkerpoolSpec(String owner, String description) {
    public WorkerpoolSpec {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(description, "description");
    }
}
