package dev.teeflow.protocol.chain;

import dev.teeflow.protocol.net.RetriesExhaustedException;
import dev.teeflow.protocol.net.RetryPolicy;
import dev.teeflow.protocol.net.TransientHttpException;
import java.io.IOException;
import java.util.function.Consumer;
import org.web3j.protocol.exceptions.ClientConnectionException;

/**
 * Retries of JSON-RPC reads (eth_call, receipts, nonces, gas): a read can be repeated safely, so a node that
 * is briefly unreachable or answers 5xx/429 is asked again under a {@link RetryPolicy}. Transactions are never
 * re-broadcast here: {@link TxSender} resumes them from their hash instead.
 *
 * <p>Reads happen deep inside the chain classes, so the log for retry lines is set per thread by the caller
 * ({@link #logTo}); without one, lines go to the {@code dev.teeflow.protocol.chain} System.Logger.
 */
public final class ChainReads {
    private static final System.Logger LOG = System.getLogger("dev.teeflow.protocol.chain");
    private static final ThreadLocal<Consumer<String>> THREAD_LOG = new ThreadLocal<>();
    private static volatile RetryPolicy policy = RetryPolicy.standard();

    private ChainReads() {
    }

    /** Sends this thread's retry lines to {@code log} until the returned scope is closed. */
    public static Scope logTo(Consumer<String> log) {
        Consumer<String> before = THREAD_LOG.get();
        THREAD_LOG.set(log);
        return () -> THREAD_LOG.set(before);
    }

    /** Replaces the policy (tests use short delays) until the returned scope is closed. */
    public static Scope usePolicy(RetryPolicy p) {
        RetryPolicy before = policy;
        policy = p;
        return () -> policy = before;
    }

    /** Closes without a checked exception. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    static <T> T read(TxSender.Rpc<T> call, String what) {
        Consumer<String> log = THREAD_LOG.get();
        Consumer<String> sink = log != null ? log : line -> LOG.log(System.Logger.Level.WARNING, line);
        try {
            return policy.run("chain RPC", RetryPolicy.Safety.IDEMPOTENT, sink, () -> {
                try {
                    return call.call();
                } catch (ClientConnectionException e) {
                    // web3j reports an HTTP error answer as "Invalid response received: <status>; <body>"
                    int status = statusOf(e.getMessage());
                    if (RetryPolicy.retryableStatus(status) != null) {
                        throw new TransientHttpException(status, e.getMessage());
                    }
                    throw e;
                }
            });
        } catch (RetriesExhaustedException e) {
            throw new ChainException("cannot " + what + ": " + e.getMessage() + "; is the RPC node running?", e);
        } catch (IOException e) {
            throw new ChainException("cannot " + what + ": " + e.getMessage() + " (is the RPC node reachable?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException("interrupted while trying to " + what, e);
        }
    }

    static int statusOf(String message) {
        String prefix = "Invalid response received: ";
        if (message == null || !message.startsWith(prefix)) {
            return -1;
        }
        int end = message.indexOf(';', prefix.length());
        try {
            return Integer.parseInt(message.substring(prefix.length(), end < 0 ? message.length() : end).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
