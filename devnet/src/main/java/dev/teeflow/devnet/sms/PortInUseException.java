package dev.teeflow.devnet.sms;

/** A devnet service could not bind its loopback port. */
public class PortInUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PortInUseException(String component, int port, Throwable cause) {
        super("port " + port + " on 127.0.0.1 is already in use, so the devnet " + component
                + " cannot start; stop what uses it or choose another port (0 = any free port)", cause);
    }
}
