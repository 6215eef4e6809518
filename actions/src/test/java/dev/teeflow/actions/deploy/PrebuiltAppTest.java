package dev.teeflow.actions.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.actions.testing.TestPipelines;
import dev.teeflow.actions.testing.YamlTree;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Registry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app whose image was built elsewhere (what {@code teeflow init --from-iexec} writes): its deploy names the image,
 * and teeflow builds, converts and pushes nothing for it.
 */
class PrebuiltAppTest {
    @TempDir
    Path project;
    final Problems problems = new Problems();

    private Map<String, StepSpec> expand(String body) throws Exception {
        ConfigNode root = YamlTree.parse(project, "apiVersion: teeflow/v1\nkind: Pipeline\nname: t\n" + body);
        return TestPipelines.expand(root, Registry.load(), problems);
    }

    @Test
    void aDeployThatNamesItsImageIsTheOnlyStepOfItsApp() throws Exception {
        Map<String, StepSpec> steps = expand("""
                app:
                  hello:
                    deploy: { name: hello, multiaddr: "127.0.0.1:5000/hello:1", checksum: "0x%s" }
                    order: { price: 0 }
                """.formatted("1".repeat(64)));
        assertThat(problems.all()).isEmpty();
        assertThat(steps.keySet()).containsExactlyInAnyOrder("app.hello.deploy", "app.hello.order");
        assertThat(steps.get("app.hello.deploy").inputs()).containsEntry("multiaddr", "127.0.0.1:5000/hello:1")
                .containsEntry("checksum", "0x" + "1".repeat(64)).containsEntry("mrenclave", "");
        assertThat(steps.get("app.hello.order").inputs()).containsEntry("framework", "tdx");
    }

    @Test
    void aSconeMrenclaveMakesItsRunAskForSconeWorkers() throws Exception {
        String mrenclave = "{\"framework\":\"SCONE\",\"version\":\"v5\",\"entrypoint\":\"python3 /app/app.py\","
                + "\"heapSize\":1073741824,\"fingerprint\":\"ab\"}";
        Map<String, StepSpec> steps = expand("""
                app:
                  hello:
                    deploy: { name: hello, multiaddr: "reg/hello:1", checksum: "0x%s", mrenclave: '%s' }
                run:
                  main: { app: hello, workerpool: "0x3333333333333333333333333333333333333333" }
                """.formatted("1".repeat(64), mrenclave));
        assertThat(problems.all()).isEmpty();
        assertThat(steps).doesNotContainKey("app.hello.build");
        assertThat(steps.get("run.main.deal").inputs()).containsEntry("tee-framework", "scone");
    }

    @Test
    void anAppWithABuildBlockStillBuilds() throws Exception {
        Map<String, StepSpec> steps = expand("""
                app:
                  hello:
                    build: { context: . }
                    deploy: { name: hello, multiaddr: "reg/hello:1", checksum: "0x%s" }
                """.formatted("1".repeat(64)));
        assertThat(steps).containsKeys("app.hello.build", "app.hello.tee", "app.hello.deploy");
    }
}
