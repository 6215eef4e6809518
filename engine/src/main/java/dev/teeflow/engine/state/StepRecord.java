package dev.teeflow.engine.state;

import java.util.Map;

/**
 * What the state directory remembers of a step's last successful run.
 *
 * @param schema version of this record's layout
 * @param key the cache key the step ran with
 * @param inputDigests a digest per top-level input, so a plan can say which input changed
 * @param outputs the outputs, encoded by {@link OutputCodec} (no secret values, only references)
 * @param files hash and size of each file output, to check they still hold
 */
public record StepRecord(int schema, String address, String type, int typeVersion, String key,
                         Map<String, String> inputDigests, Map<String, Object> outputs,
                         Map<String, FileState> files, String finishedAt) {
    public static final int SCHEMA = 1;

    /** A file output as it was when recorded. */
    public record FileState(String path, String sha256, long size) {
    }
}
