package dev.teeflow.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.testing.RecordingStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Path checks follow symbolic links: a file or folder input, or an output folder, that leads out of the
 * project is refused (before plan reads it) unless the pipeline says {@code allow-outside-paths: true}.
 */
class SymlinkEscapeTest {
    @TempDir
    Path temp;
    Path project;
    Path outside;

    @BeforeEach
    void folders() throws Exception {
        project = Files.createDirectories(temp.resolve("project"));
        outside = Files.createDirectories(temp.resolve("elsewhere"));
        Files.writeString(outside.resolve("shadow"), "root:$6$secret-hash");
        RecordingStep.runs.clear();
    }

    private Engine engine(StepSpec step) {
        Map<String, StepSpec> map = new LinkedHashMap<>();
        map.put(step.address(), step);
        EngineOptions options = EngineOptions.defaults(project.resolve(".teeflow"));
        return Engine.open(new Pipeline("test", null, project, map),
                Registry.of(List.of(new RecordingStep("pure", Effect.PURE)), List.of()), options);
    }

    @Test
    void aDatasetFileLinkedOutOfTheProjectBlocksThePlanBeforeItIsRead() throws Exception {
        Files.createSymbolicLink(project.resolve("emails.csv"), outside.resolve("shadow"));
        Plan plan = engine(StepSpec.of("encrypt", "pure", Map.of("file", "emails.csv"))).plan(List.of(), List.of());

        assertThat(plan.steps().get(0).action()).isEqualTo(Action.BLOCKED);
        assertThat(plan.steps().get(0).reason()).contains("'emails.csv' leaves the project folder through a symbolic link")
                .contains("allow-outside-paths");
        assertThat(RecordingStep.runs).isEmpty();
        Path hashes = project.resolve(".teeflow/filehashes.json");
        if (Files.exists(hashes)) { // plan hashed nothing behind the link
            assertThat(Files.readString(hashes)).doesNotContain("emails.csv").doesNotContain("shadow");
        }
    }

    @Test
    void aFolderHoldingALinkOutOfTheProjectIsRefused() throws Exception {
        Path folder = Files.createDirectories(project.resolve("data/rows"));
        Files.writeString(folder.resolve("a.csv"), "a,b");
        Files.createSymbolicLink(folder.resolve("wallet"), outside);
        Plan plan = engine(StepSpec.of("encrypt", "pure", Map.of("file", "data"))).plan(List.of(), List.of());
        assertThat(plan.steps().get(0).action()).isEqualTo(Action.BLOCKED);
        assertThat(plan.steps().get(0).reason()).contains("data/rows/wallet leads to " + outside.toRealPath());
    }

    @Test
    void anOutputFolderThatIsALinkOutOfTheProjectIsRefused() throws Exception {
        Files.createSymbolicLink(project.resolve("out"), outside);
        Inputs in = Inputs.of("run.check.fetch", project, Map.of("to", "out/check"));
        assertThatThrownBy(() -> in.path("to")).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("run.check.fetch: to: path 'out/check' leaves the project folder through a symbolic link");
        Files.createSymbolicLink(project.resolve("dangling"), outside.resolve("not-yet"));
        assertThatThrownBy(() -> Inputs.of("s", project, Map.of("to", "dangling")).path("to"))
                .hasMessageContaining("leads nowhere");
    }

    @Test
    void linksThatStayInsideAndAnExplicitOptInAreAccepted() throws Exception {
        Files.writeString(project.resolve("real.csv"), "x");
        Files.createSymbolicLink(project.resolve("alias.csv"), project.resolve("real.csv"));
        assertThat(Inputs.of("s", project, Map.of("file", "alias.csv")).path("file")).isEqualTo(project.resolve("alias.csv"));

        Files.createSymbolicLink(project.resolve("emails.csv"), outside.resolve("shadow"));
        assertThat(Inputs.allowingOutsidePaths("s", project, Map.of("file", "emails.csv")).path("file"))
                .isEqualTo(project.resolve("emails.csv"));
    }
}
