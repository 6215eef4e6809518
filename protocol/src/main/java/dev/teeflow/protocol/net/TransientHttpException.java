package dev.teeflow.protocol.net;

/** An HTTP answer that says "try again later" (5xx, 429), raised by clients that otherwise throw on it. */
public final class TransientHttpException extends TransientException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public TransientHttpException(int status, String message) {
        super("answered " + status, message, null);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
