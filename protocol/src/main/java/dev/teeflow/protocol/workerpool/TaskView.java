package dev.teeflow.protocol.workerpool;

import java.util.List;

/**
 * A task as a workerpool's scheduler shows it ({@code GET <api>/tasks/<taskid>}, iexec-core's TaskModel): its
 * status, the statuses it went through, and one replicate per worker.
 */
public record TaskView(String taskId, String status, List<StatusChange> history, List<Replicate> replicates) {
    public TaskView {
        history = List.copyOf(history);
        replicates = List.copyOf(replicates);
    }

    /** One status and when it was reached (as the API wrote the date); {@code cause} may be null. */
    public record StatusChange(String status, String date, String cause) {
    }

    /** One worker's part of the task; {@code exitCode} is null when the app did not run. */
    public record Replicate(String worker, String status, Integer exitCode, List<StatusChange> history) {
        public Replicate {
            history = List.copyOf(history);
        }
    }
}
