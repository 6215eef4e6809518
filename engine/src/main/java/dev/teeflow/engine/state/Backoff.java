package dev.teeflow.engine.state;

import dev.teeflow.engine.TeeflowException;

/**
 * How a remote state backend retries a round trip that failed on the way (a dropped connection, a restart, a
 * gateway's 5xx): {@value #ATTEMPTS} attempts in all, waiting 0.25 s, 1 s, then 4 s between them (about 5 s,
 * so a lease of 60 s outlives it). Only transient failures are retried; an answer (refused credentials, a
 * conflict) is final. A write retried after a failure must first check whether its first attempt landed.
 */
public final class Backoff {
    public static final int ATTEMPTS = 4;
    private static final long FIRST_PAUSE_MILLIS = 250;

    private Backoff() {
    }

    /** Waits before attempt {@code next} (2, 3, ...). */
    public static void pauseBefore(int next) {
        long millis = FIRST_PAUSE_MILLIS << (2 * Math.max(0, next - 2));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TeeflowException("interrupted while retrying the state backend");
        }
    }

    /** " (after 4 attempts)" when more than one was made, for the last error's message. */
    public static String attempts(int made) {
        return made > 1 ? " (after " + made + " attempts)" : "";
    }

    /** Whether {@code e} or one of its causes is a connection that failed on the way, not an answer. */
    public static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.SocketException
                    || t instanceof java.net.SocketTimeoutException || t instanceof java.io.EOFException
                    || t instanceof java.net.http.HttpTimeoutException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
