package dev.teeflow.actions.net;

import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.protocol.net.RetryPolicy;

/** The retry policy steps use for their network calls: one per run, so tests can put a faster one in first. */
public final class Retries {
    public static final String SHARED_KEY = "teeflow.retry-policy";

    private Retries() {
    }

    public static RetryPolicy policy(StepContext ctx) {
        return ctx.shared(SHARED_KEY, RetryPolicy.class, RetryPolicy::standard);
    }
}
