package dev.teeflow.actions.run;

import dev.teeflow.protocol.chain.Contribution;
import dev.teeflow.protocol.chain.Deal;
import dev.teeflow.protocol.chain.PocoHub;
import dev.teeflow.protocol.chain.Task;
import dev.teeflow.protocol.chain.TaskStatus;
import java.util.Optional;
import org.web3j.utils.Numeric;

/**
 * Compares a downloaded result's digest with what the task recorded on chain: the task must be COMPLETED
 * with that {@code resultDigest}; for a TEE deal (tag bit 0) the contribution it was finalized on must carry
 * a non-zero enclave challenge, i.e. PoCo accepted the digest only with that enclave key's signature.
 *
 * @param digest  the digest the chain holds and the download matches
 * @param enclave the enclave challenge address, empty for a task run outside a TEE
 */
record ChainVerification(String digest, Optional<String> enclave) {

    /** Checks {@code computed} against task {@code taskId}; throws {@link Mismatch} saying what differed. */
    static ChainVerification check(PocoHub hub, String taskId, ResultDigest computed) {
        Task task = hub.viewTask(taskId);
        if (task.status() != TaskStatus.COMPLETED) {
            throw new Mismatch("task " + taskId + " is " + task.status() + " on chain, not COMPLETED: no result digest to check");
        }
        if (!task.resultDigest().equalsIgnoreCase(computed.digest())) {
            throw new Mismatch("the downloaded result does not match the chain: task " + taskId + " recorded result digest "
                    + task.resultDigest() + ", but " + computed.of() + " of the download hashes to " + computed.digest());
        }
        Deal deal = hub.viewDeal(task.dealId());
        boolean tee = Numeric.toBigInt(deal.tag()).testBit(0);
        if (!tee) {
            return new ChainVerification(task.resultDigest(), Optional.empty());
        }
        for (String worker : task.contributors()) {
            Contribution c = hub.viewContribution(taskId, worker);
            if (c.resultHash().equalsIgnoreCase(task.consensusValue()) && c.hasEnclave()) {
                return new ChainVerification(task.resultDigest(), Optional.of(c.enclaveChallenge()));
            }
        }
        throw new Mismatch("task " + taskId + " belongs to a TEE deal, but no contribution it was finalized on carries an"
                + " enclave challenge: the digest was not signed by an enclave");
    }

    /** The summary line of a verified result. */
    String describe() {
        return enclave.map(e -> "verified against the chain: digest " + digest + ", TEE enclave " + e)
                .orElse("digest verified against the chain (" + digest + "), not a TEE result");
    }

    /** The download differs from what the chain recorded. */
    static final class Mismatch extends RuntimeException {
        Mismatch(String message) {
            super(message);
        }
    }
}
