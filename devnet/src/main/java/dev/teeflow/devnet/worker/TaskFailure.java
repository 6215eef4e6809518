package dev.teeflow.devnet.worker;

/**
 * Why a task failed, as the requester sees it: a short reason (no secret in it), the app's exit code when
 * the app ran, and the masked tail of its logs.
 */
public final class TaskFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Integer exitCode;
    private final String logTail;

    public TaskFailure(String reason) {
        this(reason, null, null, null);
    }

    public TaskFailure(String reason, Throwable cause) {
        this(reason, null, null, cause);
    }

    public TaskFailure(String reason, Integer exitCode, String logTail, Throwable cause) {
        super(reason, cause);
        this.exitCode = exitCode;
        this.logTail = logTail;
    }

    public Integer exitCode() {
        return exitCode;
    }

    public String logTail() {
        return logTail;
    }
}
