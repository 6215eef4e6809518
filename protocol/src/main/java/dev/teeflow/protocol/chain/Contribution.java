package dev.teeflow.protocol.chain;

import java.math.BigInteger;

/**
 * A worker's contribution to a task, as returned by {@code viewContribution}. {@code enclaveChallenge} is
 * the zero address when the worker contributed without an enclave (a standard, non-TEE task).
 */
public record Contribution(int status, String resultHash, String resultSeal, String enclaveChallenge, BigInteger weight) {
    public static final String NO_ENCLAVE = "0x0000000000000000000000000000000000000000";

    /** True when the contribution was signed by an enclave challenge key (checked by PoCo on contribute). */
    public boolean hasEnclave() {
        return enclaveChallenge != null && !enclaveChallenge.equalsIgnoreCase(NO_ENCLAVE);
    }
}
