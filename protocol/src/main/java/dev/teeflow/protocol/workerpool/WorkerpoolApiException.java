package dev.teeflow.protocol.workerpool;

/** A Compass or workerpool API call failed; {@link #status()} is the HTTP status, 0 when unreachable. */
public class WorkerpoolApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public WorkerpoolApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public WorkerpoolApiException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public int status() {
        return status;
    }
}
