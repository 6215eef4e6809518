package dev.teeflow.engine;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named places where a crash is most dangerous (a transaction broadcast but not yet recorded, a record
 * written but its intent not yet cleared...). When the environment variable {@value #ENV} names one of
 * them, the process halts there the way {@code kill -9} would: no shutdown hook, no finally block, no
 * flush. The crash tests use it to stop a real run at exact points and check that the next run finishes
 * the job without paying or deploying twice. Unset (always, in normal use), a check is one field read.
 *
 * <p>Points: {@code before-record:<address>}, {@code after-record:<address>},
 * {@code after-intent:<address>}, {@code after-broadcast:<address>}; {@code point#n} halts at its n-th
 * occurrence in the run. Several points may be given, separated by commas.
 */
public final class CrashPoints {
    public static final String ENV = "TEEFLOW_CRASH_AT";
    /** The exit status of a process killed by SIGKILL, which is what a halt here stands for. */
    public static final int EXIT_STATUS = 137;

    private static final Set<String> ARMED = parse(System.getenv(ENV));
    private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

    private CrashPoints() {
    }

    public static void reached(String point) {
        if (ARMED.isEmpty()) {
            return;
        }
        int n = SEEN.computeIfAbsent(point, p -> new AtomicInteger()).incrementAndGet();
        if (ARMED.contains(point) || ARMED.contains(point + "#" + n)) {
            System.err.println("teeflow: crash point '" + point + "' reached (" + ENV + "): halting as kill -9 would");
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }

    private static Set<String> parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return Set.of();
        }
        return Set.of(spec.trim().split("\\s*,\\s*"));
    }
}
