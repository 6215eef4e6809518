package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.state.StateSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CI that cannot edit the pipeline file sets the state backend through the environment or the command line. */
class StateOverridesTest {
    private static final StateSettings FILE = new StateSettings("postgres",
            Map.of("url", "postgresql://db/one", "user", "teeflow"), "env:PW", null);

    @Test
    void theEnvironmentOverridesTheFileAndTheCommandLineOverridesBoth() {
        StateSettings s = StateOverrides.apply(FILE, Map.of("TEEFLOW_STATE_CONFIG_URL", "postgresql://db/two",
                        "TEEFLOW_STATE_CONFIG_PATH_STYLE", "true"),
                null, Map.of("user", "ci"), null, null);
        assertThat(s.backend()).isEqualTo("postgres");
        assertThat(s.settings()).containsEntry("url", "postgresql://db/two").containsEntry("user", "ci")
                .containsEntry("path-style", "true");
        assertThat(s.passphrase()).isEqualTo("env:PW");
    }

    @Test
    void namingTheBackendInTheEnvironmentIgnoresTheFilesStateBlockEvenForTheSameBackend() {
        StateSettings s = StateOverrides.apply(FILE, Map.of("TEEFLOW_STATE_BACKEND", "postgres",
                "TEEFLOW_STATE_CONFIG_URL", "postgresql://trusted/db"), null, Map.of(), null, null);
        assertThat(s.settings()).containsOnly(Map.entry("url", "postgresql://trusted/db"));
        assertThat(s.passphrase()).as("not the file's reference").isNull();
        StateSettings local = StateOverrides.apply(FILE, Map.of("TEEFLOW_STATE_BACKEND", "local"), null, Map.of(), null, null);
        assertThat(local.isLocal()).isTrue();
        assertThat(local.settings()).isEmpty();
    }

    @Test
    void anotherBackendDropsTheFilesSettingsOfTheFirst() {
        StateSettings s = StateOverrides.apply(FILE, Map.of("TEEFLOW_STATE_BACKEND", "s3"), null,
                Map.of("bucket", "b"), null, "env:K");
        assertThat(s.backend()).isEqualTo("s3");
        assertThat(s.settings()).containsOnlyKeys("bucket");
        assertThat(s.key()).isEqualTo("env:K");
        assertThat(s.passphrase()).isNull();
    }

    @Test
    void aRemoteBackendWithoutAPassphraseReferenceUsesTeeflowStatePassphraseWhenSet() {
        StateSettings s = StateOverrides.apply(StateSettings.local(), Map.of("TEEFLOW_STATE_PASSPHRASE", "x"),
                "postgres", Map.of(), null, null);
        assertThat(s.passphrase()).isEqualTo("env:TEEFLOW_STATE_PASSPHRASE");
        StateSettings local = StateOverrides.apply(StateSettings.local(), Map.of("TEEFLOW_STATE_PASSPHRASE", "x"),
                null, Map.of(), null, null);
        assertThat(local.passphrase()).as("a local directory is encrypted only when asked").isNull();
    }
}
