package dev.teeflow.protocol.chain;

import java.math.BigInteger;
import java.util.List;

/** A task as returned by {@code viewTask}. {@code results} is the raw bytes (UTF-8 JSON for TEE tasks). */
public record Task(TaskStatus status, String dealId, BigInteger index, BigInteger timeRef,
                   BigInteger contributionDeadline, BigInteger revealDeadline, BigInteger finalDeadline,
                   String consensusValue, BigInteger revealCounter, BigInteger winnerCounter,
                   List<String> contributors, String resultDigest, byte[] results, BigInteger resultsTimestamp,
                   byte[] resultsCallback) {
}
