package dev.teeflow.engine.run;

import dev.teeflow.engine.secret.Redactor;
import dev.teeflow.engine.state.StateEncryption;
import dev.teeflow.engine.state.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to run a pipeline.
 *
 * @param stateDir the state directory
 * @param env the environment secret references and steps read
 * @param redactor the output mask shared with the front-end
 * @param listener who is told about progress
 * @param parallelism how many steps may run at once
 * @param lockTimeout how long apply waits for another run to release the state
 * @param pathsMayLeaveProject whether input paths may point outside the project folder
 * @param stateEncryption the passphrase that encrypts the state directory at rest; null = not encrypted
 */
public record EngineOptions(Path stateDir, Map<String, String> env, Redactor redactor, RunListener listener,
                            int parallelism, Duration lockTimeout, boolean pathsMayLeaveProject,
                            StateEncryption stateEncryption) {
    public static EngineOptions defaults(Path stateDir) {
        return new EngineOptions(stateDir, System.getenv(), new Redactor(), RunListener.NONE,
                Math.max(2, Runtime.getRuntime().availableProcessors()), Duration.ZERO, false, null);
    }

    public EngineOptions withListener(RunListener l) {
        return new EngineOptions(stateDir, env, redactor, l, parallelism, lockTimeout, pathsMayLeaveProject, stateEncryption);
    }

    public EngineOptions withEnv(Map<String, String> e) {
        return new EngineOptions(stateDir, e, redactor, listener, parallelism, lockTimeout, pathsMayLeaveProject, stateEncryption);
    }

    public EngineOptions withParallelism(int p) {
        return new EngineOptions(stateDir, env, redactor, listener, p, lockTimeout, pathsMayLeaveProject, stateEncryption);
    }

    public EngineOptions withLockTimeout(Duration t) {
        return new EngineOptions(stateDir, env, redactor, listener, parallelism, t, pathsMayLeaveProject, stateEncryption);
    }

    public EngineOptions withRedactor(Redactor r) {
        return new EngineOptions(stateDir, env, r, listener, parallelism, lockTimeout, pathsMayLeaveProject, stateEncryption);
    }

    /** Encrypts records, intents and step secrets at rest under this passphrase (null: no encryption). */
    public EngineOptions withStateEncryption(StateEncryption e) {
        return new EngineOptions(stateDir, env, redactor, listener, parallelism, lockTimeout, pathsMayLeaveProject, e);
    }

    /** A store of this run's state directory, encrypted if configured. */
    public StateStore stateStore() {
        return new StateStore(stateDir, stateEncryption);
    }

    public EngineOptions withPathsMayLeaveProject(boolean allowed) {
        return new EngineOptions(stateDir, env, redactor, listener, parallelism, lockTimeout, allowed, stateEncryption);
    }
}
