package dev.teeflow.protocol.chain;

/** The hub's EIP-712 domain, as returned by {@code domain()} (name iExecODB, version 5.0.0). */
public record Eip712Domain(String name, String version, long chainId, String verifyingContract) {
}
