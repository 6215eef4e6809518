package dev.teeflow.engine.state;

import java.util.Map;

/**
 * What an external step recorded before waiting on something that must not be done twice (a sent
 * transaction, a deal). Deleted when the step's record is written.
 */
public record Intent(String address, String key, String recordedAt, Map<String, Object> values) {
}
