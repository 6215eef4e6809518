package dev.teeflow.actions.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.actions.testing.TestPipelines;
import dev.teeflow.actions.testing.YamlTree;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.run.StepOutcome;
import dev.teeflow.engine.spi.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * An edit of the app reaches the registry whatever the TEE framework: SCONE and {@code none} push to a
 * fixed {@code repository:tag}, so the push must follow the image's content, not its name. Real Docker
 * engine and registry; the sconify stand-in (a test double of the SCONE image) converts.
 */
class AppEditReachesRegistryTest {
    private final String id = UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path project;

    @BeforeAll
    static void needDocker() throws Exception {
        DockerTestSupport.engine().close();
        DockerTestSupport.requireRegistry();
        DockerTestSupport.buildStandIn();
    }

    private String tee(String framework) {
        return framework.equals("scone")
                ? "{ framework: scone, entrypoint: /bin/sh /app/app.sh, binary: /bin/busybox, heap: 1G, fs-dir: /app,"
                        + " sconify-image: " + DockerTestSupport.STAND_IN + " }"
                : "{ framework: " + framework + " }";
    }

    private Engine engine(String framework) throws Exception {
        String yaml = """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: stale
                app:
                  a:
                    build: { context: . }
                    tee: %s
                    push: { repository: %s/teeflow-test/stale-%s-%s, tag: "1.0.0" }
                """.formatted(tee(framework), DockerTestSupport.REGISTRY, framework, id);
        ConfigNode root = YamlTree.parse(project, yaml);
        Registry registry = Registry.load();
        Problems problems = new Problems();
        Map<String, StepSpec> steps = TestPipelines.expand(root, registry, problems);
        problems.throwIfAny();
        return TestPipelines.engine("stale", project, steps, registry, Map.of(), new ArrayList<>());
    }

    private void writeApp(String version) throws Exception {
        Files.createDirectories(project.resolve("src"));
        Files.writeString(project.resolve("Dockerfile"), "FROM teeflow-test/busybox\nCOPY src/app.sh /app/app.sh\n"
                + "ENTRYPOINT [\"/bin/sh\", \"/app/app.sh\"]\n");
        Files.writeString(project.resolve("src/app.sh"), "echo '" + version + "' > \"$IEXEC_OUT/result.txt\"\n");
    }

    private static Map<String, Action> planned(Plan plan) {
        return plan.steps().stream().collect(Collectors.toMap(PlannedStep::address, PlannedStep::action));
    }

    private static Map<String, Boolean> ran(Report report) {
        return report.outcomes().stream().collect(Collectors.toMap(StepOutcome::address,
                o -> o.status() == StepOutcome.Status.DONE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"scone", "none", "tdx"})
    void anEditOfTheAppIsPushedAndThePlanSaidSo(String framework) throws Exception {
        writeApp("version 1");
        Engine first = engine(framework);
        Report applied = first.apply(List.of(), List.of());
        assertThat(applied.succeeded()).isTrue();
        String before = first.recordedOutputs("app.a.push").string("digest").orElseThrow();

        writeApp("version 2");
        Engine second = engine(framework);
        Plan plan = second.plan(List.of(), List.of());
        Report again = second.apply(List.of(), List.of());
        assertThat(again.succeeded()).isTrue();
        String after = second.recordedOutputs("app.a.push").string("digest").orElseThrow();

        assertThat(after).isNotEqualTo(before);
        assertThat(ran(again)).containsEntry("app.a.push", true);
        // plan and apply agree on every step
        planned(plan).forEach((address, action) ->
                assertThat(ran(again).get(address)).as(address + " planned " + action).isEqualTo(action.willRun()));
        String tag = second.recordedOutputs("app.a.tee").string("tag").orElseThrow();
        assertThat(DockerTestSupport.registryDigest("teeflow-test/stale-" + framework + "-" + id, tag)).isEqualTo(after);
    }
}
