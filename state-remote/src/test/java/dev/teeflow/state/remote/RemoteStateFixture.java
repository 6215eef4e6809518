package dev.teeflow.state.remote;

import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateBackendConfig;
import dev.teeflow.engine.state.StateBackends;
import dev.teeflow.engine.state.StateSettings;
import java.nio.file.Path;
import java.util.Map;

/** Opens a backend the way the command line does: settings, secret references read from {@code env}. */
public final class RemoteStateFixture {
    private RemoteStateFixture() {
    }

    public static StateBackend open(String backend, Map<String, String> settings, Map<String, String> env, Path projectDir,
                                    Path cacheDir) {
        StateSettings s = new StateSettings(backend, settings, "env:STATE_PASSPHRASE", null);
        StateBackendConfig config = new StateBackendConfig(s, ref -> Secret.ofText(ref, env.get(ref.name())), projectDir,
                cacheDir, "demo", env);
        return StateBackends.load().open(config, s);
    }
}
