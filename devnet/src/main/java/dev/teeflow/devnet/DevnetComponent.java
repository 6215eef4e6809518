package dev.teeflow.devnet;

/**
 * A part of the devnet that plugs in from outside this package, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.teeflow.devnet.DevnetComponent}). The workerpool (scheduler + worker, package
 * {@code dev.teeflow.devnet.worker}) is one: it is started after the chain, the services and the workerpool orders,
 * and must answer HTTP on {@link DevnetContext#info()}{@code .workerpoolApi()} once {@link #start} returns.
 * Components are closed in reverse start order when the devnet stops.
 */
public interface DevnetComponent extends AutoCloseable {
    /** The component name shown by {@code teeflow devnet status}; the workerpool is {@value #WORKERPOOL}. */
    String name();

    /**
     * Starts the component; returns when it is ready. A throw is logged with its message and the devnet runs on
     * without this component (the chain and services stay useful without Docker, say).
     */
    void start(DevnetContext context) throws Exception;

    /** Stops every thread and process the component started. */
    @Override
    void close();

    String WORKERPOOL = "workerpool";
}
