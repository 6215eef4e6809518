package dev.teeflow.engine.state;

import java.util.Map;
import java.util.Set;

/**
 * Makes one kind of {@link StateBackend} from its settings. Found with {@link java.util.ServiceLoader}
 * (list the class in {@code META-INF/services/dev.teeflow.engine.state.StateBackendFactory}); the local
 * directory is built in. {@link StateBackends} checks the settings against {@link #settings()},
 * {@link #required()} and {@link #secretSettings()} before {@link #open} is called.
 */
public interface StateBackendFactory {
    /** The name in {@code state: { backend: NAME }}. */
    String kind();

    /** Each setting this backend takes, with a one-line description for errors and docs. */
    Map<String, String> settings();

    /** The settings that must be given. */
    Set<String> required();

    /** The settings that are credentials: only secret references ({@code env:}, {@code file:}) are accepted. */
    Set<String> secretSettings();

    /**
     * Opens the backend (connects, checks the store answers). Errors name the setting at fault and never
     * contain a credential.
     */
    StateBackend open(StateBackendConfig config);
}
