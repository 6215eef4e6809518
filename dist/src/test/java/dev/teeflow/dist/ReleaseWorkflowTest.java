package dev.teeflow.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The workflow that publishes a release on a version tag, and the files the installers expect from it. */
class ReleaseWorkflowTest {
    @Test
    @SuppressWarnings("unchecked")
    void aVersionTagPublishesTheThreeFilesTheInstallersDownload() throws Exception {
        Map<String, Object> workflow = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(HostFakes.REPO.resolve(".github/workflows/release.yml")));

        Map<String, Object> push = (Map<String, Object>) ((Map<String, Object>) workflow.get("on")).get("push");
        assertThat((List<String>) push.get("tags")).containsExactly("v[0-9]+.[0-9]+.[0-9]+*");
        assertThat(workflow.get("permissions")).isEqualTo(Map.of("contents", "write"));

        Map<String, Map<String, Object>> jobs = (Map<String, Map<String, Object>>) workflow.get("jobs");
        StringBuilder scripts = new StringBuilder();
        for (Map<String, Object> step : (List<Map<String, Object>>) jobs.get("release").get("steps")) {
            if (step.get("uses") instanceof String uses) {
                assertThat(uses).as("third-party actions are pinned to a commit").matches("[^@]+@[0-9a-f]{40}");
            }
            if (step.get("run") instanceof String run) {
                assertThat(run).as("values reach scripts through env, never pasted in").doesNotContain("${{");
                scripts.append(run).append('\n');
            }
        }
        assertThat(scripts).contains("-Prelease", "sha256sum -c",
                "teeflow-$VERSION.zip", "teeflow-$VERSION.tar.gz", "teeflow-$VERSION.sha256");
        // the names scripts/install-release.sh downloads: <url>/v<version>/teeflow-<version>.{tar.gz,sha256}
        String installer = Files.readString(HostFakes.REPO.resolve("scripts/install-release.sh"));
        assertThat(installer).contains("name=\"teeflow-$version\"", "$base/v$version/$name.sha256", "$base/v$version/$name.tar.gz");
    }
}
