package dev.teeflow.actions.deploy;

import java.time.Duration;

/**
 * How chain steps wait: receipt poll interval (short: devnet blocks are instant and public chains mine
 * in seconds, so web3j's 15 s default would only add latency), how long to wait for a receipt before
 * the step fails (its intent stays, so the next run resumes the same transaction), and how long a
 * recorded hash may stay unknown to the node before it counts as never broadcast.
 */
public record TxSettings(Duration pollInterval, Duration receiptTimeout, Duration dropGrace) {
    public static final TxSettings DEFAULT = new TxSettings(Duration.ofMillis(200), Duration.ofMinutes(5), Duration.ofSeconds(10));
}
