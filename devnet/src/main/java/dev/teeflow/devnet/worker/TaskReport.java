package dev.teeflow.devnet.worker;

/**
 * What the task API serves for one task: {@code GET /tasks/<taskid>}.
 *
 * @param status   RECEIVED, INITIALIZED, RUNNING, UPLOADING, COMPLETED, FAILING (app failed, claim pending), FAILED
 * @param exitCode the app's exit code, null when the app did not run (yet)
 * @param reason   why it failed, null otherwise
 * @param logTail  the app's last log lines with secrets masked, null before the app ran
 * @param resultLocation {@code /ipfs/<id>} once uploaded
 */
public record TaskReport(String taskId, String dealId, long index, String status, Integer exitCode, String reason,
                         String logTail, String resultDigest, String resultLocation) {

    public static TaskReport received(String taskId, String dealId, long index) {
        return new TaskReport(taskId, dealId, index, "RECEIVED", null, null, null, null, null);
    }

    public TaskReport withStatus(String newStatus) {
        return new TaskReport(taskId, dealId, index, newStatus, exitCode, reason, logTail, resultDigest, resultLocation);
    }

    public TaskReport failed(String newStatus, TaskFailure failure) {
        return new TaskReport(taskId, dealId, index, newStatus, failure.exitCode(), failure.getMessage(),
                failure.logTail(), resultDigest, resultLocation);
    }

    public TaskReport completed(int code, String tail, String digest, String location) {
        return new TaskReport(taskId, dealId, index, "COMPLETED", code, null, tail, digest, location);
    }
}
