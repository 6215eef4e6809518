package dev.teeflow.engine.run;

import dev.teeflow.engine.secret.Redactor;
import dev.teeflow.engine.state.LocalStateBackend;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateEncryption;
import dev.teeflow.engine.state.StateLease;
import dev.teeflow.engine.state.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to run a pipeline.
 *
 * @param stateDir the state directory; with a remote backend, the local cache (work files, file hashes)
 * @param env the environment secret references and steps read
 * @param redactor the output mask shared with the front-end
 * @param listener who is told about progress
 * @param parallelism how many steps may run at once
 * @param lockTimeout how long apply waits for another run to release the state
 * @param pathsMayLeaveProject whether input paths may point outside the project folder
 * @param stateEncryption the passphrase or key that encrypts the state; null = not encrypted
 * @param stateBackend where records, intents, step secrets and the project key live; null = the local
 *     directory {@code stateDir}. The caller owns it (and closes it).
 * @param stateLease how long the lock's lease runs without renewal
 */
public record EngineOptions(Path stateDir, Map<String, String> env, Redactor redactor, RunListener listener,
                            int parallelism, Duration lockTimeout, boolean pathsMayLeaveProject,
                            StateEncryption stateEncryption, StateBackend stateBackend, Duration stateLease) {
    public static EngineOptions defaults(Path stateDir) {
        return new EngineOptions(stateDir, System.getenv(), new Redactor(), RunListener.NONE,
                Math.max(2, Runtime.getRuntime().availableProcessors()), Duration.ZERO, false, null, null,
                StateLease.DEFAULT_LEASE);
    }

    public EngineOptions withListener(RunListener l) {
        return new EngineOptions(stateDir, env, redactor, l, parallelism, lockTimeout, pathsMayLeaveProject, stateEncryption, stateBackend, stateLease);
    }

    public EngineOptions withEnv(Map<String, String> e) {
        return new EngineOptions(stateDir, e, redactor, listener, parallelism, lockTimeout, pathsMayLeaveProject, stateEncryption, stateBackend, stateLease);
    }

    public EngineOptions withParallelism(int p) {
        return new EngineOptions(stateDir, env, redactor, listener, p, lockTimeout, pathsMayLeaveProject, stateEncryption, stateBackend, stateLease);
    }

    public EngineOptions withLockTimeout(Duration t) {
        return new EngineOptions(stateDir, env, redactor, listener, parallelism, t, pathsMayLeaveProject, stateEncryption, stateBackend, stateLease);
    }

    public EngineOptions withRedactor(Redactor r) {
        return new EngineOptions(stateDir, env, r, listener, parallelism, lockTimeout, pathsMayLeaveProject, stateEncryption, stateBackend, stateLease);
    }

    /** Encrypts records, intents and step secrets at rest under this passphrase (null: no encryption). */
    public EngineOptions withStateEncryption(StateEncryption e) {
        return new EngineOptions(stateDir, env, redactor, listener, parallelism, lockTimeout, pathsMayLeaveProject, e, stateBackend, stateLease);
    }

    /** Keeps the state in {@code b} instead of the local directory (null: the local directory). */
    public EngineOptions withStateBackend(StateBackend b) {
        return new EngineOptions(stateDir, env, redactor, listener, parallelism, lockTimeout, pathsMayLeaveProject, stateEncryption, b, stateLease);
    }

    public EngineOptions withStateLease(Duration lease) {
        return new EngineOptions(stateDir, env, redactor, listener, parallelism, lockTimeout, pathsMayLeaveProject, stateEncryption, stateBackend, lease);
    }

    /** The backend the state lives in: the configured one, or the local directory. */
    public StateBackend backend() {
        return stateBackend != null ? stateBackend : new LocalStateBackend(stateDir);
    }

    /** A store of this run's state, encrypted if configured. */
    public StateStore stateStore() {
        return new StateStore(stateDir, backend(), stateEncryption);
    }

    public EngineOptions withPathsMayLeaveProject(boolean allowed) {
        return new EngineOptions(stateDir, env, redactor, listener, parallelism, lockTimeout, allowed, stateEncryption, stateBackend, stateLease);
    }
}
