package dev.teeflow.actions.docker;

import dev.teeflow.engine.TeeflowException;

/** No Docker engine answers where DOCKER_HOST points. */
public final class DockerUnavailableException extends TeeflowException {
    public DockerUnavailableException(String host, Throwable cause) {
        super("no Docker engine answers at " + host
                + (System.getenv("DOCKER_HOST") == null ? " (the default; set DOCKER_HOST to use another)" : " (DOCKER_HOST)")
                + ": start one with scripts/docker-up.sh, or `sudo dockerd`, or point DOCKER_HOST at a running engine"
                + (cause == null || cause.getMessage() == null ? "" : " [" + rootMessage(cause) + "]"), cause);
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}
