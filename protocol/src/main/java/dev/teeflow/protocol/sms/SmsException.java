package dev.teeflow.protocol.sms;

/**
 * An SMS call failed. Each HTTP outcome has its own subclass so callers can act on it; messages name the
 * secret (kind, owner, name) and never contain its value.
 */
public class SmsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public SmsException(int status, String message) {
        super(message);
        this.status = status;
    }

    public SmsException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** HTTP status, 0 when the SMS could not be reached. */
    public int status() {
        return status;
    }

    /** 401: the signer is not the owner of the resource (or the signature does not match the value). */
    public static final class NotAuthorized extends SmsException {
        private static final long serialVersionUID = 1L;

        public NotAuthorized(String message) {
            super(401, message);
        }
    }

    /** 409: the secret already exists and this kind of secret is write-once. */
    public static final class AlreadyExists extends SmsException {
        private static final long serialVersionUID = 1L;

        public AlreadyExists(String message) {
            super(409, message);
        }
    }

    /** 413 (or the SMS's 400 for an oversized requester secret): more than 4096 bytes. */
    public static final class TooLarge extends SmsException {
        private static final long serialVersionUID = 1L;

        public TooLarge(int status, String message) {
            super(status, message);
        }
    }

    /** 400: the request was refused as malformed, e.g. a bad secret name. */
    public static final class BadRequest extends SmsException {
        private static final long serialVersionUID = 1L;

        public BadRequest(String message) {
            super(400, message);
        }
    }

    /** 404 on an update: there is no such secret to update. */
    public static final class NotFound extends SmsException {
        private static final long serialVersionUID = 1L;

        public NotFound(String message) {
            super(404, message);
        }
    }

    /** 5xx, or the SMS could not be reached. */
    public static final class Unavailable extends SmsException {
        private static final long serialVersionUID = 1L;

        public Unavailable(int status, String message) {
            super(status, message);
        }

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
