package dev.teeflow.protocol.net;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Bounded retries with exponential backoff and jitter, for failures where trying again cannot do harm:
 * the other side was unreachable or overloaded (connection refused or reset, timeouts, HTTP 5xx and 429).
 * A 4xx answer is final. Whether a failure is safe to retry depends on the request: an {@link Safety#IDEMPOTENT}
 * request (GET, HEAD, PUT of the same value, a JSON-RPC read) may be repeated after any transient failure;
 * a {@link Safety#NOT_SENT_ONLY} one (a POST that creates something) only when it never reached the server
 * (connection refused, connect timeout), because after a reset or a 5xx it may already have been applied.
 *
 * <p>Every retry is told to the caller's log as one line ("SMS answered 503, retrying in 1.2 s (2/5)"), and the
 * final failure names the number of attempts made.
 */
public final class RetryPolicy {
    /** Whether a request may be repeated after it may have reached the server. */
    public enum Safety { IDEMPOTENT, NOT_SENT_ONLY }

    /** One attempt of the guarded call. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws IOException, InterruptedException;
    }

    /** How the policy waits; tests replace it to run without sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** The last answer of a call whose answers all asked for a retry, with how many attempts were made. */
    public record Outcome<T>(T value, int attempts) { }

    private static final RetryPolicy STANDARD = new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(8),
            Duration.ofSeconds(60), 0.2, Thread::sleep);
    private static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0,
            Thread::sleep);

    private final int maxAttempts;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final Duration totalCap;
    private final double jitter;
    private final Sleeper sleeper;

    private RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration totalCap, double jitter,
                        Sleeper sleeper) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.totalCap = totalCap;
        this.jitter = jitter;
        this.sleeper = Objects.requireNonNull(sleeper);
    }

    /** 5 attempts, 0.5 s doubling up to 8 s, +-20 % jitter, at most 60 s in all. */
    public static RetryPolicy standard() {
        return STANDARD;
    }

    /** A single attempt. */
    public static RetryPolicy none() {
        return NONE;
    }

    public RetryPolicy withMaxAttempts(int n) {
        return new RetryPolicy(n, initialDelay, maxDelay, totalCap, jitter, sleeper);
    }

    /** First delay {@code initial}, doubling up to {@code max}. */
    public RetryPolicy withDelays(Duration initial, Duration max) {
        return new RetryPolicy(maxAttempts, initial, max, totalCap, jitter, sleeper);
    }

    /** No retry starts once this much time has passed since the first attempt began. */
    public RetryPolicy withTotalCap(Duration cap) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, cap, jitter, sleeper);
    }

    public RetryPolicy withSleeper(Sleeper s) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, totalCap, jitter, s);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Runs {@code call}, retrying transient I/O failures (as {@code safety} allows) and answers for which
     * {@code retryAnswer} names a problem ("answered 503"; null = the answer is final). When the attempts run
     * out on an answer, that last answer is returned with the count; on an I/O failure a
     * {@link RetriesExhaustedException} (an IOException) says how many attempts were made.
     *
     * @param what who is called, for log lines ("SMS", "registry 127.0.0.1:5000")
     * @param log  where retry lines go
     */
    public <T> Outcome<T> run(String what, Safety safety, Consumer<String> log, Call<T> call,
                              Function<T, String> retryAnswer) throws IOException, InterruptedException {
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            String problem;
            IOException failure = null;
            T answer = null;
            try {
                answer = call.call();
                problem = retryAnswer == null ? null : retryAnswer.apply(answer);
                if (problem == null) {
                    return new Outcome<>(answer, attempt);
                }
                if (safety == Safety.NOT_SENT_ONLY) {
                    // The server saw the request: it may have been applied, so repeating it is the caller's call.
                    return new Outcome<>(answer, attempt);
                }
            } catch (IOException e) {
                if (!isTransient(e, safety)) {
                    throw e;
                }
                failure = e;
                problem = describe(e);
            }
            Duration delay = delay(attempt);
            boolean timeLeft = totalCap.isZero()
                    || Duration.ofNanos(System.nanoTime() - start).plus(delay).compareTo(totalCap) <= 0;
            if (attempt >= maxAttempts || !timeLeft) {
                if (failure != null) {
                    throw new RetriesExhaustedException(what + " " + problem + " (" + attempts(attempt) + ")",
                            attempt, failure);
                }
                return new Outcome<>(answer, attempt);
            }
            log.accept(what + " " + problem + ", retrying in " + seconds(delay) + " (" + (attempt + 1) + "/"
                    + maxAttempts + ")");
            sleeper.sleep(delay);
        }
    }

    /** {@link #run} for calls whose only failures are exceptions. */
    public <T> T run(String what, Safety safety, Consumer<String> log, Call<T> call)
            throws IOException, InterruptedException {
        return run(what, safety, log, call, null).value();
    }

    /** The problem to retry for an HTTP status: 5xx and 429; null for everything else. */
    public static String retryableStatus(int status) {
        return status >= 500 || status == 429 ? "answered " + status : null;
    }

    /** "1 attempt", "5 attempts". */
    public static String attempts(int n) {
        return n == 1 ? "1 attempt" : n + " attempts";
    }

    /**
     * Whether an I/O failure is worth another attempt. Refused connections and connect timeouts never reached
     * the server; resets, read timeouts and closed connections may have, so they count only for idempotent calls.
     */
    public static boolean isTransient(IOException e, Safety safety) {
        if (e instanceof RetriesExhaustedException) {
            return false;
        }
        if (e instanceof java.net.ConnectException || e instanceof java.net.http.HttpConnectTimeoutException
                || e instanceof java.net.NoRouteToHostException) {
            return true;
        }
        if (safety == Safety.NOT_SENT_ONLY) {
            return false;
        }
        if (e instanceof TransientException) {
            return true;
        }
        if (e instanceof java.net.SocketTimeoutException || e instanceof java.net.http.HttpTimeoutException
                || e instanceof java.io.EOFException || e instanceof java.net.SocketException) {
            return true;
        }
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("connection reset") || m.contains("connection refused") || m.contains("closed")
                || m.contains("received no bytes") || m.contains("timed out") || m.contains("broken pipe")
                || m.contains("unexpected end of stream") || (e.getCause() instanceof IOException c && isTransient(c, safety));
    }

    private Duration delay(int attempt) {
        double base = initialDelay.toNanos() * Math.pow(2, attempt - 1);
        base = Math.min(base, maxDelay.toNanos());
        double spread = jitter == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-jitter, jitter);
        return Duration.ofNanos((long) Math.max(0, base * (1 + spread)));
    }

    private static String describe(IOException e) {
        if (e instanceof TransientException t) {
            return t.problem();
        }
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return "is unreachable (" + (m == null || m.isBlank() ? kind : kind + ": " + firstLine(m)) + ")";
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
