package dev.teeflow.protocol.net;

import java.io.IOException;

/** An HTTP answer that says "try again later" (5xx, 429), raised by clients that otherwise throw on it. */
public final class TransientHttpException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public TransientHttpException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
