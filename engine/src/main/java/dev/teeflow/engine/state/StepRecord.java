package dev.teeflow.engine.state;

import java.util.Map;

/**
 * What the state directory remembers of a step's last successful run.
 *
 * @param schema version of this record's layout ({@link #SCHEMA}); older layouts are upgraded on reading
 *     ({@link RecordUpgrades})
 * @param keyScheme the cache-key scheme {@code key} was made under (the engine's {@code CacheKey.SCHEME})
 * @param typeVersion the version of the step type that ran
 * @param key the cache key the step ran with
 * @param inputDigests a digest per top-level input, so a plan can say which input changed
 * @param outputs the outputs, encoded by {@link OutputCodec} (no secret values, only references)
 * @param files hash and size of each file output, to check they still hold
 */
public record StepRecord(int schema, int keyScheme, String address, String type, int typeVersion, String key,
                         Map<String, String> inputDigests, Map<String, Object> outputs,
                         Map<String, FileState> files, String finishedAt) {
    /** The layout this teeflow writes. Bump it with a new upgrader in {@link RecordUpgrades}. */
    public static final int SCHEMA = 2;

    /** A file output as it was when recorded. */
    public record FileState(String path, String sha256, long size) {
    }

    /** The same run, keyed again: under another scheme or for another version of its type. */
    public StepRecord rekeyed(int newKeyScheme, int newTypeVersion, String newKey, Map<String, String> newDigests) {
        return new StepRecord(SCHEMA, newKeyScheme, address, type, newTypeVersion, newKey, newDigests, outputs, files,
                finishedAt);
    }
}
