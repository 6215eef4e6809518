package dev.teeflow.protocol.net;

import java.io.IOException;

/**
 * A failure a client found worth another attempt (the peer was away or overloaded), raised where the
 * underlying library reports it some other way (an error text, a runtime exception). {@link RetryPolicy}
 * retries it for idempotent calls and logs {@link #problem()}.
 */
public class TransientException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String problem;

    /** {@code problem} completes "&lt;who&gt; ...": "answered 503", "is unreachable (connection refused)". */
    public TransientException(String problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public String problem() {
        return problem;
    }
}
