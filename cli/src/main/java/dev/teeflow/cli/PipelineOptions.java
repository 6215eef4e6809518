package dev.teeflow.cli;

import dev.teeflow.dsl.PipelineLoader;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.EngineOptions;
import dev.teeflow.engine.run.RunListener;
import dev.teeflow.engine.spi.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options of every command that reads a pipeline file. */
final class PipelineOptions {
    static final List<String> DEFAULT_FILES = List.of("teeflow.yml", "teeflow.yaml", "teeflow.groovy");

    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "The pipeline file (default: teeflow.yml, teeflow.yaml or teeflow.groovy in this folder).")
    Path file;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "Sets a pipeline parameter (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "The state directory (default: .teeflow beside the pipeline file).")
    Path stateDir;

    /** Found once per command: finding the step and section types instantiates every provider. */
    private Registry registry;

    Path pipelineFile() {
        if (file != null) {
            return file.toAbsolutePath().normalize();
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (String name : DEFAULT_FILES) {
            if (Files.isRegularFile(cwd.resolve(name))) {
                return cwd.resolve(name);
            }
        }
        throw new TeeflowException("no pipeline file here (looked for " + String.join(", ", DEFAULT_FILES)
                + "); give one with --file");
    }

    Registry registry() {
        if (registry == null) {
            registry = Registry.load();
        }
        return registry;
    }

    Pipeline load(CliContext ctx) {
        return new PipelineLoader().load(pipelineFile(), params, ctx.env, registry());
    }

    Path stateDirFor(Pipeline pipeline) {
        return stateDir != null ? stateDir.toAbsolutePath().normalize() : pipeline.projectDir().resolve(".teeflow");
    }

    Engine engine(CliContext ctx, Pipeline pipeline, RunListener listener, int parallelism, java.time.Duration lockTimeout) {
        EngineOptions options = EngineOptions.defaults(stateDirFor(pipeline))
                .withEnv(ctx.env)
                .withRedactor(ctx.redactor)
                .withListener(listener)
                .withParallelism(parallelism)
                .withLockTimeout(lockTimeout);
        return Engine.open(pipeline, registry(), options);
    }
}
