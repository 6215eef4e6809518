package dev.teeflow.protocol.order;

/**
 * A market API call failed. status is the HTTP status (0 when the API could not be reached);
 * the message carries the API's own error text, which never contains secrets.
 */
public class MarketException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public MarketException(int status, String message) {
        super(message);
        this.status = status;
    }

    public MarketException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public int status() {
        return status;
    }
}
