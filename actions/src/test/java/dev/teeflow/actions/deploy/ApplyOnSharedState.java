package dev.teeflow.actions.deploy;

import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.EngineOptions;
import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateEncryption;
import dev.teeflow.state.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One runner of the shared-state tests: applies the pipeline of a project folder with its state in the
 * project's PostgreSQL (schema given), encrypted under a raw key, with a short lease. Run in a child JVM
 * (args: project, schema, key) it can be killed at a crash point like a CI job.
 */
public final class ApplyOnSharedState {
    private ApplyOnSharedState() {
    }

    static Engine engine(Path project, String schema, String key, Map<String, String> env, List<String> logs,
                         Registry registry, Duration lockTimeout) throws Exception {
        var steps = ChainLab.expand(project, Files.readString(project.resolve("teeflow.yml")), s -> s);
        StateBackend backend = PostgresServer.start().open(schema, "shared");
        EngineOptions options = EngineOptions.defaults(project.resolve(".teeflow")).withEnv(dev.teeflow.engine.testing.BuildHome.with(env))
                .withListener(new dev.teeflow.engine.run.RunListener() {
                    @Override
                    public void stepLog(String address, String kind, String line) {
                        logs.add(address + " " + kind + ": " + line);
                    }
                })
                .withStateBackend(backend).withStateEncryption(StateEncryption.ofRawKey(key))
                .withStateLease(Duration.ofSeconds(5)).withLockTimeout(lockTimeout);
        return Engine.open(new Pipeline("shared", project.resolve("teeflow.yml"), project, steps), registry, options);
    }

    public static void main(String[] args) throws Exception {
        Report report = engine(Path.of(args[0]), args[1], args[2], System.getenv(), new java.util.ArrayList<>(),
                Registry.load(), Duration.ZERO).apply(List.of(), List.of());
        System.out.println(report);
        System.exit(report.succeeded() ? 0 : 1);
    }
}
