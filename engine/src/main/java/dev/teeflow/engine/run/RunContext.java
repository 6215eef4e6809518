package dev.teeflow.engine.run;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Redactor;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepLog;
import dev.teeflow.engine.state.Intent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The engine's {@link StepContext}: one per step per plan or apply. */
final class RunContext implements StepContext {
    private final Session session;
    private final String address;
    private final Inputs inputs;
    private final String key;
    private final Outputs previous;
    private final Map<String, Object> intent;
    private final boolean mayChangeThings;

    RunContext(Session session, String address, Inputs inputs, String key, Outputs previous,
               Map<String, Object> intent, boolean mayChangeThings) {
        this.session = session;
        this.address = address;
        this.inputs = inputs;
        this.key = key;
        this.previous = previous;
        this.intent = intent;
        this.mayChangeThings = mayChangeThings;
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
        return session.projectDir;
    }

    @Override
    public Path workDir() {
        Path dir = session.store.workDir(address);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return dir;
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
    public void recordIntent(Map<String, Object> values) {
        requireRun("record an intent");
        for (Object v : values.values()) {
            if (v instanceof Secret) {
                throw new IllegalArgumentException("an intent cannot hold a secret");
            }
        }
        session.store.writeIntent(new Intent(address, key, Instant.now().toString(), Map.copyOf(values)));
        dev.teeflow.engine.CrashPoints.reached("after-intent:" + address);
    }

    @Override
    public SecretRef storeSecret(String name, byte[] value) {
        requireRun("store a secret");
        SecretRef ref = SecretRef.step(address, name);
        session.secrets.remember(ref, value);
        session.stepSecrets.write(address, name, value);
        return ref;
    }

    @Override
    public Optional<Secret> storedSecret(String name) {
        return session.stepSecrets.read(address, name).map(v -> session.secrets.remember(SecretRef.step(address, name), v));
    }

    @Override
    public Map<String, String> environment() {
        return session.env;
    }

    @Override
    public StepLog log() {
        RunListener l = session.listener;
        Redactor r = session.redactor;
        return new StepLog() {
            @Override
            public void info(String line) {
                l.stepLog(address, "info", r.redact(line));
            }

            @Override
            public void warn(String line) {
                l.stepLog(address, "warn", r.redact(line));
            }

            @Override
            public void output(String line) {
                l.stepLog(address, "output", r.redact(line));
            }

            @Override
            public void progress(String what, long done, long total, String unit) {
                l.stepProgress(address, r.redact(what), done, total, unit);
            }
        };
    }

    @Override
    public Redactor redactor() {
        return session.redactor;
    }

    @Override
    public <T> T shared(String sharedKey, Class<T> type, Supplier<T> create) {
        return session.shared(sharedKey, type, create);
    }

    @Override
    public boolean isCancelled() {
        return session.cancelled.get();
    }

    private void requireRun(String what) {
        if (!mayChangeThings) {
            throw new TeeflowException(address + ": cannot " + what + " while planning or verifying");
        }
    }
}
