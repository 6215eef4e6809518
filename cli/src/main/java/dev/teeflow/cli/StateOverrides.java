package dev.teeflow.cli;

import dev.teeflow.engine.state.StateSettings;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The state settings for CI that cannot edit the pipeline file: the file's {@code state:} block, then the
 * environment ({@code TEEFLOW_STATE_BACKEND}, {@code TEEFLOW_STATE_CONFIG_<KEY>} with the key in capitals
 * and {@code _} for {@code -}, {@code TEEFLOW_STATE_PASSPHRASE_REF} / {@code TEEFLOW_STATE_KEY_REF}), then
 * the command line. A remote backend given no passphrase or key anywhere uses
 * {@code env:TEEFLOW_STATE_PASSPHRASE} when that variable is set.
 */
final class StateOverrides {
    static final String BACKEND = "TEEFLOW_STATE_BACKEND";
    static final String CONFIG_PREFIX = "TEEFLOW_STATE_CONFIG_";
    static final String PASSPHRASE_REF = "TEEFLOW_STATE_PASSPHRASE_REF";
    static final String KEY_REF = "TEEFLOW_STATE_KEY_REF";
    static final String DEFAULT_PASSPHRASE = "TEEFLOW_STATE_PASSPHRASE";

    private StateOverrides() {
    }

    static StateSettings apply(StateSettings fromFile, Map<String, String> env, String backend, Map<String, String> config,
                               String passphrase, String key) {
        Map<String, String> envConfig = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(CONFIG_PREFIX) && name.length() > CONFIG_PREFIX.length()) {
                envConfig.put(name.substring(CONFIG_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-'), value);
            }
        });
        String envBackend = blankToNull(env.get(BACKEND));
        StateSettings settings = fromFile.overriddenBy(new StateSettings(envBackend, envConfig,
                blankToNull(env.get(PASSPHRASE_REF)), blankToNull(env.get(KEY_REF))), envBackend != null);
        settings = settings.overriddenBy(new StateSettings(backend, config, passphrase, key), backend != null);
        if (!settings.isLocal() && settings.passphrase() == null && settings.key() == null
                && env.get(DEFAULT_PASSPHRASE) != null) {
            settings = new StateSettings(settings.backend(), settings.settings(), "env:" + DEFAULT_PASSPHRASE, null);
        }
        return settings;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
