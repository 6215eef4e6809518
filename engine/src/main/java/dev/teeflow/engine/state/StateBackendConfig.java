package dev.teeflow.engine.state;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a {@link StateBackendFactory} gets to open a backend: the checked settings, a way to read the
 * credentials they reference (registered with the redactor), the project folder and this machine's cache
 * directory, and the pipeline's name (a default prefix or table key).
 */
public final class StateBackendConfig {
    private final StateSettings settings;
    private final Function<SecretRef, Secret> secrets;
    private final Path projectDir;
    private final Path cacheDir;
    private final String pipelineName;
    private final Map<String, String> env;

    public StateBackendConfig(StateSettings settings, Function<SecretRef, Secret> secrets, Path projectDir,
                              Path cacheDir, String pipelineName, Map<String, String> env) {
        this.settings = settings;
        this.secrets = secrets;
        this.projectDir = projectDir;
        this.cacheDir = cacheDir;
        this.pipelineName = pipelineName;
        this.env = env;
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(settings.settings().get(name));
    }

    public String required(String name) {
        return get(name).orElseThrow(() -> new TeeflowException("state." + name + " is missing (the " + settings.backend()
                + " state backend needs it)"));
    }

    /** The value of a credential setting, if given (its reference was checked to be env: or file:). */
    public Optional<Secret> secret(String name) {
        return get(name).map(text -> secrets.apply(SecretRef.parse(text).orElseThrow(() -> new TeeflowException(
                "state." + name + " must be a secret reference (env:NAME or file:PATH), never the value itself"))));
    }

    public String backend() {
        return settings.backend();
    }

    public Path projectDir() {
        return projectDir;
    }

    /** This machine's cache of the state (work files, file hashes): never shared. */
    public Path cacheDir() {
        return cacheDir;
    }

    public String pipelineName() {
        return pipelineName;
    }

    /** The environment, for a backend's own conventions (such as a CI token) beside its settings. */
    public Map<String, String> env() {
        return env;
    }
}
