package dev.teeflow.engine.run;

import dev.teeflow.engine.graph.StepGraph;
import dev.teeflow.engine.hash.FileHasher;
import dev.teeflow.engine.secret.Redactor;
import dev.teeflow.engine.state.StateStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** What every step of one plan or apply shares: the graph, the state, the secrets, the shared clients. */
final class Session implements AutoCloseable {
    /** The environment steps are given ({@link dev.teeflow.engine.spi.StepContext#environment()}). */
    final Map<String, String> env;
    final StepGraph graph;
    final StateStore store;
    final Redactor redactor;
    final SecretResolver secrets;
    final StepSecrets stepSecrets;
    final FileHasher hasher;
    final RunListener listener;
    final Path projectDir;
    final boolean pathsMayLeaveProject;
    /** The cache-key scheme keys are made under: {@link CacheKey#SCHEME}, or another in upgrade tests. */
    final int keyScheme;
    final AtomicBoolean cancelled = new AtomicBoolean();
    private final Map<String, Object> shared = Collections.synchronizedMap(new LinkedHashMap<>());
    private byte[] projectKey;

    Session(StepGraph graph, EngineOptions options, int keyScheme) {
        this.graph = graph;
        this.keyScheme = keyScheme;
        this.projectDir = graph.pipeline().projectDir().toAbsolutePath().normalize();
        this.store = options.stateStore();
        this.redactor = options.redactor();
        this.stepSecrets = new StepSecrets(store, this::projectKey);
        this.env = Map.copyOf(options.env());
        this.secrets = new SecretResolver(options.env(), projectDir, store, redactor, stepSecrets);
        this.hasher = new FileHasher(store.fileHashes());
        this.listener = options.listener();
        this.pathsMayLeaveProject = options.pathsMayLeaveProject() || graph.pipeline().pathsMayLeaveProject();
    }

    synchronized byte[] projectKey() {
        if (projectKey == null) {
            projectKey = store.projectKey();
        }
        return projectKey;
    }

    <T> T shared(String key, Class<T> type, Supplier<T> create) {
        synchronized (shared) {
            Object existing = shared.get(key);
            if (existing == null) {
                existing = create.get();
                shared.put(key, existing);
            }
            return type.cast(existing);
        }
    }

    @Override
    public void close() {
        try {
            hasher.save();
        } catch (dev.teeflow.engine.TeeflowException e) {
            // Only a cache: losing it must not hide the run's summary (a full disk fails here last).
            listener.stepLog("state", "warn", redactor.redact(e.getMessage())
                    + "; it is only a cache: the next run hashes the input files again");
        }
        List<Object> toClose;
        synchronized (shared) {
            toClose = new ArrayList<>(shared.values());
            shared.clear();
        }
        Collections.reverse(toClose);
        for (Object o : toClose) {
            if (o instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    // Closing a client must not hide the run's result.
                }
            }
        }
    }
}
