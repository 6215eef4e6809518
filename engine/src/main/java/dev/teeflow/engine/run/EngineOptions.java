package dev.teeflow.engine.run;

import dev.teeflow.engine.secret.Redactor;
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
 */
public record EngineOptions(Path stateDir, Map<String, String> env, Redactor redactor, RunListener listener,
                            int parallelism, Duration lockTimeout, boolean pathsMayLeaveProject) {
    public static EngineOptions defaults(Path stateDir) {
        return new EngineOptions(stateDir, System.getenv(), new Redactor(), RunListener.NONE,
                Math.max(2, Runtime.getRuntime().availableProcessors()), Duration.ZERO, false);
    }

    public EngineOptions withListener(RunListener l) {
        return new EngineOptions(stateDir, env, redactor, l, parallelism, lockTimeout, pathsMayLeaveProject);
    }

    public EngineOptions withEnv(Map<String, String> e) {
        return new EngineOptions(stateDir, e, redactor, listener, parallelism, lockTimeout, pathsMayLeaveProject);
    }

    public EngineOptions withParallelism(int p) {
        return new EngineOptions(stateDir, env, redactor, listener, p, lockTimeout, pathsMayLeaveProject);
    }

    public EngineOptions withLockTimeout(Duration t) {
        return new EngineOptions(stateDir, env, redactor, listener, parallelism, t, pathsMayLeaveProject);
    }

    public EngineOptions withRedactor(Redactor r) {
        return new EngineOptions(stateDir, env, r, listener, parallelism, lockTimeout, pathsMayLeaveProject);
    }

    public EngineOptions withPathsMayLeaveProject(boolean allowed) {
        return new EngineOptions(stateDir, env, redactor, listener, parallelism, lockTimeout, allowed);
    }
}
