package dev.teeflow.cli;

import dev.teeflow.dsl.PipelineLoader;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.EngineOptions;
import dev.teeflow.engine.run.RunListener;
import dev.teeflow.engine.run.SecretResolver;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.state.StateEncryption;
import dev.teeflow.engine.state.StateStore;
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

    @Option(names = "--state-passphrase", paramLabel = "REF",
            description = "Encrypts the state directory at rest (AES-256-GCM) under the passphrase in this secret "
                    + "reference: env:NAME or file:PATH. Once encrypted, every command on it needs the passphrase.")
    String statePassphrase;

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

    /** The encryption of the state directory, from {@code --state-passphrase}; null when not given. */
    StateEncryption stateEncryption(CliContext ctx, Pipeline pipeline) {
        if (statePassphrase == null) {
            return null;
        }
        SecretRef ref = SecretRef.parse(statePassphrase)
                .filter(r -> r.scheme().equals(SecretRef.ENV) || r.scheme().equals(SecretRef.FILE))
                .orElseThrow(() -> new TeeflowException("--state-passphrase takes a secret reference, env:NAME or "
                        + "file:PATH, never the passphrase itself"));
        Secret secret = new SecretResolver(ctx.env, pipeline.projectDir(), new StateStore(stateDirFor(pipeline)),
                ctx.redactor).resolve(ref);
        String text = secret.text().strip();
        ctx.redactor.register(text);
        return new StateEncryption(text.toCharArray());
    }

    /** The state directory's store, encrypted when {@code --state-passphrase} is given. */
    StateStore stateStore(CliContext ctx, Pipeline pipeline) {
        return new StateStore(stateDirFor(pipeline), stateEncryption(ctx, pipeline));
    }

    Engine engine(CliContext ctx, Pipeline pipeline, RunListener listener, int parallelism, java.time.Duration lockTimeout) {
        EngineOptions options = EngineOptions.defaults(stateDirFor(pipeline))
                .withStateEncryption(stateEncryption(ctx, pipeline))
                .withEnv(ctx.env)
                .withRedactor(ctx.redactor)
                .withListener(listener)
                .withParallelism(parallelism)
                .withLockTimeout(lockTimeout);
        return Engine.open(pipeline, registry(), options);
    }
}
