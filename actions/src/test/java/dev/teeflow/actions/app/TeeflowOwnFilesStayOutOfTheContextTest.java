package dev.teeflow.actions.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.actions.testing.TestPipelines;
import dev.teeflow.actions.testing.YamlTree;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.StepOutcome;
import dev.teeflow.engine.spi.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no .dockerignore, the default context "." holds the pipeline file and the fetch folders: what teeflow
 * writes there must not make the next plan promise a rebuild (and a deploy and a deal after it).
 */
class TeeflowOwnFilesStayOutOfTheContextTest {
    private final String id = UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path project;

    @BeforeAll
    static void needDocker() throws Exception {
        DockerTestSupport.engine().close();
    }

    private Engine engine(String comment) throws Exception {
        ConfigNode root = YamlTree.parse(project, """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: own   # %s
                app:
                  a:
                    build: { context: ., tag: "teeflow-app/own-%s:build" }
                    tee: { framework: none }
                run:
                  r: { app: "0x00000000000000000000000000000000000000a1", fetch: { to: results/ } }
                  m: { app: "0x00000000000000000000000000000000000000a1", for-each: [ { args: x }, { args: y } ] }
                """.formatted(comment, id));
        Problems problems = new Problems();
        Registry registry = Registry.load();
        Map<String, StepSpec> steps = new LinkedHashMap<>(TestPipelines.expand(root, registry, problems));
        problems.throwIfAny();
        steps.keySet().removeIf(a -> !a.startsWith("app."));
        return TestPipelines.engine("own", project, steps, registry, Map.of(), new ArrayList<>());
    }

    @Test
    void fetchedResultsAndAnEditedPipelineFileChangeNoBuild() throws Exception {
        Files.writeString(project.resolve("Dockerfile"), "FROM teeflow-test/busybox\nCOPY . /app\n");
        Files.writeString(project.resolve("app.sh"), "echo hi\n");
        assertThat(engine("first").apply(List.of(), List.of()).succeeded()).isTrue();

        Files.createDirectories(project.resolve("results"));
        Files.writeString(project.resolve("results/result.txt"), "fetched\n");
        Files.createDirectories(project.resolve("out/m-1"));
        Files.writeString(project.resolve("out/m-1/result.txt"), "fetched\n");
        Engine second = engine("edited");

        assertThat(second.plan(List.of(), List.of()).steps()).extracting(PlannedStep::action).containsOnly(Action.UP_TO_DATE);
        assertThat(second.apply(List.of(), List.of()).outcomes()).extracting(StepOutcome::status)
                .containsOnly(StepOutcome.Status.UP_TO_DATE);

        // The app's own files still count.
        Files.writeString(project.resolve("app.sh"), "echo changed\n");
        assertThat(engine("edited").plan(List.of(), List.of()).steps()).filteredOn(s -> s.address().equals("app.a.build"))
                .extracting(PlannedStep::action).containsExactly(Action.RERUN);
    }
}
