package dev.teeflow.engine.state;

import java.util.Map;

/**
 * What an external step recorded before waiting on something that must not be done twice (a sent
 * transaction, a deal). Cleared when the step's record is written; a copy is kept as the step's finished
 * intent ({@code run/FinishedIntents}) to recover from if the record is damaged later.
 */
public record Intent(String address, String key, String recordedAt, Map<String, Object> values) {
}
