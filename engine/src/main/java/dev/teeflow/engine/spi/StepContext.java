package dev.teeflow.engine.spi;

import dev.teeflow.engine.secret.Redactor;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Everything a running step may use. One context per step per run. */
public interface StepContext {
    /** The step's address, such as {@code dataset.emails.encrypt}. */
    String address();

    Inputs inputs();

    Path projectDir();

    /**
     * A folder of this step's own under the state directory, kept between runs (for outputs such as
     * an encrypted file, and for caches such as a git clone).
     */
    Path workDir();

    /** What this step recorded the last time it succeeded, even if its inputs changed since. */
    Optional<Outputs> previousOutputs();

    /**
     * The intent an interrupted earlier run recorded (a sent transaction's hash, a deal id), so that
     * this run resumes it instead of paying again. Empty when the last run finished or never started.
     */
    Optional<Map<String, Object>> intent();

    /**
     * Durably records what this step is about to wait for, before waiting: written atomically to the
     * state directory before this method returns. Values must be plain (no secrets).
     */
    void recordIntent(Map<String, Object> intent);

    /**
     * Keeps a secret this step made (a dataset key) in the state directory, readable only by the
     * owner (mode 0600), registers it with the redactor, and returns the reference to put in the
     * step's outputs.
     */
    SecretRef storeSecret(String name, byte[] value);

    /** A secret this step stored in an earlier run, if still there. */
    Optional<Secret> storedSecret(String name);

    StepLog log();

    /**
     * The environment of the run (TEEFLOW_HOME, DOCKER_HOST...), as the engine was given it: steps read their
     * configuration here, never from the process, so that a test or an embedding gives it through this door.
     * A context made outside an engine run has none.
     */
    default Map<String, String> environment() {
        return Map.of();
    }

    Redactor redactor();

    /**
     * A long-lived object shared by every step of this run (a Docker client, a chain connection),
     * made on first use by {@code create} and closed at the end of the run if it is
     * {@link AutoCloseable}.
     */
    <T> T shared(String key, Class<T> type, Supplier<T> create);

    /** True once the run is being stopped (Ctrl-C, or a failure elsewhere with fail-fast). */
    boolean isCancelled();
}
