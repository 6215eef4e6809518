package dev.teeflow.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** teeflowVersion: the step installs that release on the agent (checksum verified) and runs its launcher. */
class TeeflowVersionTest {
    static final String LAUNCHER = "/home/jenkins/.cache/teeflow/releases/teeflow-1.2.3/bin/teeflow";
    final PipelineMock jenkins = new PipelineMock();

    static Map<String, Object> config(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void installsTheReleaseThenRunsItsLauncher() throws Exception {
        jenkins.shStdout = "install-release: downloading\n" + LAUNCHER + "\n";

        jenkins.teeflow(config("command", "validate", "teeflowVersion", "1.2.3"), null);

        String script = "/agent/workspace/job@tmp/teeflow-install-release.sh";
        assertThat(jenkins.writtenFiles).containsOnlyKeys(script);
        assertThat(jenkins.writtenFiles.get(script)).isEqualTo(Files.readString(Path.of("../scripts/install-release.sh")));
        assertThat(jenkins.sh).hasSize(2);
        assertThat(jenkins.sh.get(0).script()).isEqualTo("bash '" + script + "' '1.2.3'");
        assertThat(jenkins.sh.get(0).label()).isEqualTo("install teeflow 1.2.3");
        assertThat(jenkins.sh.get(1).script()).isEqualTo("'" + LAUNCHER + "' 'validate' '--no-color' '--file' 'teeflow.yml'");
    }

    @Test
    void releaseUrlReachesTheInstallerQuoted() {
        jenkins.shStdout = LAUNCHER + "\n";

        jenkins.teeflow(config("command", "validate", "teeflowVersion", "1.2.3-rc.1", "releaseUrl", "https://mirror.example/teeflow's"), null);

        assertThat(jenkins.sh.get(0).script()).startsWith("TEEFLOW_RELEASE_URL='https://mirror.example/teeflow'\"'\"'s' bash ")
                .endsWith(" '1.2.3-rc.1'");
    }

    @Test
    void badVersionsAndTwoLaunchersAreRefusedByName() {
        assertThatThrownBy(() -> jenkins.teeflow(config("teeflowVersion", "1.2; rm -rf /"), null))
                .hasMessageContaining("teeflowVersion must be a release version such as '1.2.3'");
        assertThatThrownBy(() -> jenkins.teeflow(config("teeflowVersion", "1.2.3", "launcher", "./bin/teeflow"), null))
                .hasMessageContaining("set launcher or teeflowVersion, not both");
        assertThat(jenkins.sh).isEmpty();
    }

    @Test
    void anInstallThatPrintsNoLauncherFailsTheStep() {
        jenkins.shStdout = "something else\n";
        assertThatThrownBy(() -> jenkins.teeflow(config("teeflowVersion", "1.2.3"), null))
                .hasMessageContaining("printed no launcher path");
        assertThat(jenkins.sh).hasSize(1);
    }

    @Test
    void theLibrarysInstallerIsTheRepositorysScript() throws Exception {
        // Jenkins loads resources only from the library's own folder: a copy, kept identical here.
        assertThat(Files.readString(Path.of("resources/dev/teeflow/jenkins/install-release.sh")))
                .isEqualTo(Files.readString(Path.of("../scripts/install-release.sh")));
    }
}
