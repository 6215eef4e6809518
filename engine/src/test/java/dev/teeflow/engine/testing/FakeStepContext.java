package dev.teeflow.engine.testing;

import dev.teeflow.engine.secret.Redactor;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link StepContext} for testing one step type without the engine: inputs given directly,
 * secrets kept in memory, log lines collected in {@link #lines()}.
 */
public final class FakeStepContext implements StepContext, AutoCloseable {
    private final String address;
    private final Inputs inputs;
    private final Path projectDir;
    private final Path workDir;
    private final Redactor redactor = new Redactor();
    private final Map<String, Secret> secrets = new HashMap<>();
    private final Map<String, Object> shared = new LinkedHashMap<>();
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private Outputs previous;
    private Map<String, Object> intent;
    private Map<String, String> environment = System.getenv(); // a test's stand-in for what the engine gives

    public FakeStepContext(String address, Path projectDir, Map<String, Object> inputs) {
        this.address = address;
        this.projectDir = projectDir;
        this.workDir = projectDir.resolve(".teeflow/work/" + address);
        this.inputs = Inputs.of(address, projectDir, inputs);
    }

    public FakeStepContext withPreviousOutputs(Outputs outputs) {
        this.previous = outputs;
        return this;
    }

    /** The environment the step is given (default: this test process's). */
    public FakeStepContext withEnvironment(Map<String, String> env) {
        this.environment = Map.copyOf(env);
        return this;
    }

    @Override
    public Map<String, String> environment() {
        return environment;
    }

    public FakeStepContext withIntent(Map<String, Object> recorded) {
        this.intent = recorded;
        return this;
    }

    /** Every line the step logged, prefixed with its kind ("info: ", "warn: ", "out: ", "progress: "). */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    public Map<String, Secret> storedSecrets() {
        return Map.copyOf(secrets);
    }

    public Optional<Map<String, Object>> recordedIntent() {
        return Optional.ofNullable(intent);
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public Inputs inputs() {
        return inputs;
    }

    @Override
    public Path projectDir() {
        return projectDir;
    }

    @Override
    public Path workDir() {
        try {
            java.nio.file.Files.createDirectories(workDir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return workDir;
    }

    @Override
    public Optional<Outputs> previousOutputs() {
        return Optional.ofNullable(previous);
    }

    @Override
    public Optional<Map<String, Object>> intent() {
        return Optional.ofNullable(intent);
    }

    @Override
    public void recordIntent(Map<String, Object> recorded) {
        this.intent = Map.copyOf(recorded);
    }

    @Override
    public SecretRef storeSecret(String name, byte[] value) {
        SecretRef ref = SecretRef.step(address, name);
        Secret secret = new Secret(ref, value);
        secrets.put(name, secret);
        redactor.register(secret);
        return ref;
    }

    @Override
    public Optional<Secret> storedSecret(String name) {
        return Optional.ofNullable(secrets.get(name));
    }

    @Override
    public StepLog log() {
        return new StepLog() {
            @Override
            public void info(String line) {
                lines.add("info: " + redactor.redact(line));
            }

            @Override
            public void warn(String line) {
                lines.add("warn: " + redactor.redact(line));
            }

            @Override
            public void output(String line) {
                lines.add("out: " + redactor.redact(line));
            }

            @Override
            public void progress(String what, long done, long total, String unit) {
                lines.add("progress: " + what + " " + done + "/" + total + " " + unit);
            }
        };
    }

    @Override
    public Redactor redactor() {
        return redactor;
    }

    @Override
    public synchronized <T> T shared(String key, Class<T> type, Supplier<T> create) {
        return type.cast(shared.computeIfAbsent(key, k -> create.get()));
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public void close() throws Exception {
        for (Object o : shared.values()) {
            if (o instanceof AutoCloseable c) {
                c.close();
            }
        }
    }
}
