package dev.teeflow.protocol.chain;

/**
 * The outcome of an idempotent asset deploy.
 *
 * @param address the (predicted) asset address
 * @param txHash  the creating transaction, or null when the asset was already registered
 */
public record Deployment(String address, String txHash) {
    public boolean created() {
        return txHash != null;
    }
}
