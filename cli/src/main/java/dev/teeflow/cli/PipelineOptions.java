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
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateBackendConfig;
import dev.teeflow.engine.state.StateBackends;
import dev.teeflow.engine.state.StateEncryption;
import dev.teeflow.engine.state.StateSettings;
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
            description = "Encrypts the state (AES-256-GCM) under the passphrase in this secret reference: env:NAME or "
                    + "file:PATH. Once encrypted, every command on it needs the passphrase. Overrides state.passphrase.")
    String statePassphrase;

    @Option(names = "--state-key", paramLabel = "REF",
            description = "Encrypts the state under a raw AES-256 key (32 bytes, base64 or hex) in this secret reference, "
                    + "instead of a passphrase. Overrides state.key.")
    String stateKey;

    @Option(names = "--state-backend", paramLabel = "KIND",
            description = "Where the state lives: local (default), postgres, git or s3. Overrides the file's state.backend "
                    + "and TEEFLOW_STATE_BACKEND.")
    String stateBackend;

    @Option(names = "--state-config", paramLabel = "KEY=VALUE",
            description = "A setting of the state backend (repeatable), such as url=... or password=env:NAME. Overrides "
                    + "the file's state block and TEEFLOW_STATE_CONFIG_<KEY>.")
    Map<String, String> stateConfig = new LinkedHashMap<>();

    /** Found once per command: finding the step and section types instantiates every provider. */
    private Registry registry;
    private StateBackend backend;

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

    /** The state settings in force: the file's state block, then TEEFLOW_STATE_* variables, then the options. */
    StateSettings stateSettings(CliContext ctx, Pipeline pipeline) {
        return StateOverrides.apply(pipeline.state(), ctx.env, stateBackend, stateConfig, statePassphrase, stateKey);
    }

    /** The state's backend, opened once per command and closed when it ends. */
    StateBackend stateBackend(CliContext ctx, Pipeline pipeline) {
        if (backend == null) {
            backend = openBackend(ctx, pipeline, stateSettings(ctx, pipeline));
        }
        return backend;
    }

    /** Opens the backend {@code settings} name (closed when the command ends). */
    StateBackend openBackend(CliContext ctx, Pipeline pipeline, StateSettings settings) {
        StateBackendConfig config = new StateBackendConfig(settings, secrets(ctx, pipeline)::resolve,
                pipeline.projectDir(), stateDirFor(pipeline), pipeline.name(), ctx.env);
        StateBackend opened = StateBackends.load().open(config, settings);
        ctx.closeAtEnd.add(opened);
        return opened;
    }

    /** The encryption of the state from its passphrase or key reference; null when none is given. */
    StateEncryption stateEncryption(CliContext ctx, Pipeline pipeline) {
        return encryption(ctx, pipeline, stateSettings(ctx, pipeline));
    }

    /** The encryption {@code settings} name; null when they give no passphrase or key. */
    StateEncryption encryption(CliContext ctx, Pipeline pipeline, StateSettings settings) {
        String reference = settings.key() != null ? settings.key() : settings.passphrase();
        if (reference == null) {
            return null;
        }
        String option = settings.key() != null ? "the state key" : "the state passphrase";
        SecretRef ref = SecretRef.parse(reference)
                .filter(r -> r.scheme().equals(SecretRef.ENV) || r.scheme().equals(SecretRef.FILE))
                .orElseThrow(() -> new TeeflowException("--state-passphrase takes a secret reference, env:NAME or "
                        + "file:PATH, never the passphrase itself (" + option + ")"));
        Secret secret = secrets(ctx, pipeline).resolve(ref);
        String text = secret.text().strip();
        ctx.redactor.register(text);
        return settings.key() != null ? StateEncryption.ofRawKey(text) : new StateEncryption(text.toCharArray());
    }

    private SecretResolver secrets(CliContext ctx, Pipeline pipeline) {
        return new SecretResolver(ctx.env, pipeline.projectDir(), new StateStore(stateDirFor(pipeline)), ctx.redactor);
    }

    /** The state's store: its backend, encrypted when a passphrase or key is given (required for a remote one). */
    StateStore stateStore(CliContext ctx, Pipeline pipeline) {
        return new StateStore(stateDirFor(pipeline), stateBackend(ctx, pipeline), stateEncryption(ctx, pipeline));
    }

    Engine engine(CliContext ctx, Pipeline pipeline, RunListener listener, int parallelism, java.time.Duration lockTimeout) {
        EngineOptions options = EngineOptions.defaults(stateDirFor(pipeline))
                .withStateEncryption(stateEncryption(ctx, pipeline))
                .withStateBackend(stateBackend(ctx, pipeline))
                .withStateLease(stateSettings(ctx, pipeline).lease(dev.teeflow.engine.state.StateLease.DEFAULT_LEASE))
                .withEnv(ctx.env)
                .withRedactor(ctx.redactor)
                .withListener(listener)
                .withParallelism(parallelism)
                .withLockTimeout(lockTimeout);
        return Engine.open(pipeline, registry(), options);
    }
}
