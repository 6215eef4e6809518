package dev.teeflow.actions.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.actions.docker.DockerEngine;
import dev.teeflow.actions.docker.DockerUnavailableException;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.testing.FakeStepContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build -> tee -> push against the real Docker engine and registry started by scripts/docker-up.sh. */
class AppDockerFlowTest {
    private static DockerEngine engine;
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final String repoPath = "teeflow-test/app-" + id;
    private final String repository = DockerTestSupport.REGISTRY + "/" + repoPath;

    @TempDir
    Path project;

    @BeforeAll
    static void needDocker() {
        engine = DockerTestSupport.engine();
        DockerTestSupport.requireRegistry();
    }

    @AfterAll
    static void close() throws Exception {
        engine.close();
    }

    private void writeApp(String script) throws Exception {
        Files.writeString(project.resolve("Dockerfile"),
                "FROM teeflow-test/busybox\nARG GREETING=hello\nCOPY app.sh /app/app.sh\n"
                        + "RUN echo \"$GREETING\" > /app/greeting\nENTRYPOINT [\"sh\", \"/app/app.sh\"]\n");
        Files.writeString(project.resolve("app.sh"), script);
        Files.writeString(project.resolve(".dockerignore"), "notes.txt\n*.tmp\n");
        Files.writeString(project.resolve("notes.txt"), "not part of the image\n");
    }

    private Outputs run(dev.teeflow.engine.spi.StepType type, String address, Map<String, Object> inputs,
                        FakeStepContext[] keep) throws Exception {
        FakeStepContext ctx = new FakeStepContext(address, project, inputs);
        if (keep != null) {
            keep[0] = ctx;
        }
        return type.run(ctx);
    }

    private Map<String, Object> buildInputs() {
        return new LinkedHashMap<>(Map.of("context", ".", "dockerfile", "Dockerfile",
                "tag", "teeflow-app/test-" + id + ":build", "args", Map.of("GREETING", "bonjour")));
    }

    /** Runs the three steps as the section wires them; returns build, tee and push outputs. */
    private Outputs[] pipeline(FakeStepContext[] buildCtx) throws Exception {
        Outputs build = run(new AppBuildStep(), "app.t.build", buildInputs(), buildCtx);
        Outputs tee = run(new AppTeeStep(), "app.t.tee", Map.of("image-id", build.get("image-id"),
                "repository", "teeflow-app/test-" + id, "version", "1.0.0", "framework", "tdx"), null);
        Outputs push = run(new AppPushStep(), "app.t.push", Map.of("image", tee.get("image"),
                "repository", repository, "tag", tee.get("tag")), null);
        return new Outputs[] {build, tee, push};
    }

    private String contextDigest() throws Exception {
        return DockerTestSupport.inputDigest(new AppBuildStep().inputFiles(
                Inputs.of("app.t.build", project, buildInputs())));
    }

    @Test
    void buildTdxAndPushGiveTheRegistrysOwnDigestAsChecksum() throws Exception {
        writeApp("echo hi\n");
        FakeStepContext[] buildCtx = new FakeStepContext[1];
        Outputs[] out = pipeline(buildCtx);
        String imageId = out[0].string("image-id").orElseThrow();

        assertThat(imageId).matches("sha256:[0-9a-f]{64}");
        assertThat(buildCtx[0].lines()).anySatisfy(l -> assertThat(l).startsWith("out: ").contains("COPY app.sh"));
        assertThat(out[1].string("tag")).contains("1.0.0-tdx-" + imageId.substring(7, 19));
        assertThat(out[1].get("mrenclave")).isEqualTo("");

        String served = DockerTestSupport.registryDigest(repoPath, out[1].string("tag").orElseThrow());
        assertThat(out[2].string("digest")).contains(served);
        assertThat(out[2].string("checksum")).contains("0x" + served.substring(7));
        assertThat(out[2].string("multiaddr")).contains(repository + ":" + out[1].string("tag").orElseThrow());
        assertThat(engine.client().inspectImageCmd(imageId).exec().getRepoDigests()).contains(repository + "@" + served);

        FakeStepContext verifyCtx = new FakeStepContext("app.t.push", project,
                Map.of("image", out[1].get("image"), "repository", repository, "tag", out[1].get("tag")));
        assertThat(new AppPushStep().verify(verifyCtx, out[2]).stillHolds()).isTrue();
    }

    @Test
    void changingAContextFileChangesTheHashAndTheChecksumButIgnoredFilesDoNot() throws Exception {
        writeApp("echo one\n");
        String first = contextDigest();
        Outputs[] before = pipeline(null);

        Files.writeString(project.resolve("notes.txt"), "edited, but .dockerignore'd\n");
        Files.writeString(project.resolve("scratch.tmp"), "also ignored\n");
        assertThat(contextDigest()).isEqualTo(first);

        Files.writeString(project.resolve("app.sh"), "echo two\n");
        assertThat(contextDigest()).isNotEqualTo(first);
        Outputs[] after = pipeline(null);
        assertThat(after[0].get("image-id")).isNotEqualTo(before[0].get("image-id"));
        assertThat(after[2].get("checksum")).isNotEqualTo(before[2].get("checksum"));
    }

    @Test
    void aRegistryThatLostTheImageMakesVerifySayItIsGone() throws Exception {
        writeApp("echo lost\n");
        Outputs[] out = pipeline(null);
        Map<String, Object> pushInputs = Map.of("image", out[1].get("image"), "repository", repository, "tag", out[1].get("tag"));
        FakeStepContext ctx = new FakeStepContext("app.t.push", project, pushInputs);
        assertThat(new AppPushStep().verify(ctx, out[2]).stillHolds()).isTrue();

        assertThat(DockerTestSupport.deleteManifest(repoPath, out[2].string("digest").orElseThrow())).isEqualTo(202);

        Check check = new AppPushStep().verify(ctx, out[2]);
        assertThat(check.stillHolds()).isFalse();
        assertThat(check.reason()).contains("no longer has").contains(repository);
    }

    @Test
    void aBaseImageThatCannotBePulledIsExplained() throws Exception {
        Files.writeString(project.resolve("Dockerfile"), "FROM teeflow-test/no-such-base:1\nCOPY . /app\n");
        assertThatThrownBy(() -> run(new AppBuildStep(), "app.t.build", buildInputs(), null))
                .isInstanceOf(TeeflowException.class)
                .hasMessageContaining("app.t.build: the base image cannot be pulled")
                .hasMessageContaining("scripts/base-images.sh");
    }

    @Test
    void noEngineGivesAClearErrorSayingHowToStartOne() {
        assertThatThrownBy(() -> DockerEngine.connect("unix:///tmp/teeflow-no-docker-" + id + ".sock"))
                .isInstanceOf(DockerUnavailableException.class)
                .hasMessageContaining("no Docker engine answers at unix:///tmp/teeflow-no-docker-")
                .hasMessageContaining("scripts/docker-up.sh")
                .hasMessageContaining("sudo dockerd");
    }
}
