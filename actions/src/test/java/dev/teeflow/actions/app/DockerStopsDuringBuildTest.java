package dev.teeflow.actions.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.actions.docker.DockerEngine;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.testing.FakeStepContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker engine goes away in the middle of app.build (its connection is cut while a RUN is executing):
 * the step fails with a clear error and outputs nothing, so no record is written; the next run builds again.
 */
class DockerStopsDuringBuildTest {
    @TempDir
    Path project;
    DockerSocketCutter cutter;
    DockerEngine throughCutter;
    final String tag = "teeflow-app/cut-" + UUID.randomUUID().toString().substring(0, 8) + ":build";

    @BeforeEach
    void start() throws Exception {
        DockerEngine direct = DockerTestSupport.engine();
        Path socket = direct.socketPath().map(Path::of).orElseThrow(
                () -> new IllegalStateException("this test needs dockerd on a unix socket (scripts/docker-up.sh)"));
        direct.close();
        cutter = new DockerSocketCutter(socket);
        throughCutter = DockerEngine.connect(cutter.host());
        Files.writeString(project.resolve("Dockerfile"), "FROM teeflow-test/busybox\n"
                + "ARG NONCE\nRUN echo \"BUILD\"\"-STARTED $NONCE\" && sleep 4 && echo \"BUILD\"\"-FINISHED\"\n");
    }

    @AfterEach
    void stop() throws Exception {
        throughCutter.close();
        cutter.close();
    }

    private FakeStepContext context() {
        Map<String, Object> in = new LinkedHashMap<>(Map.of("context", ".", "dockerfile", "Dockerfile", "tag", tag,
                "args", Map.of("NONCE", tag)));
        FakeStepContext ctx = new FakeStepContext("app.t.build", project, in);
        ctx.shared("docker.engine", DockerEngine.class, () -> throughCutter);
        return ctx;
    }

    @Test
    void theEngineStoppingMidBuildIsAClearErrorAndTheNextRunBuildsAgain() throws Exception {
        FakeStepContext ctx = context();
        CompletableFuture<Outputs> build = CompletableFuture.supplyAsync(() -> {
            try {
                return new AppBuildStep().run(ctx);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (List.copyOf(ctx.lines()).stream().noneMatch(l -> l.contains("BUILD-STARTED"))) {
            assertThat(System.nanoTime()).as("the build never started: " + ctx.lines()).isLessThan(deadline);
            assertThat(build).isNotDone();
            Thread.sleep(50);
        }
        cutter.cut();

        Throwable failure = null;
        try {
            build.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            failure = e.getCause();
        }
        assertThat(failure).as("the build must fail, not report an image").isInstanceOf(TeeflowException.class);
        assertThat(failure.getMessage()).contains("app.t.build")
                .contains("the Docker engine closed the connection before the build finished");
        assertThat(List.copyOf(ctx.lines())).noneMatch(l -> l.contains("BUILD-FINISHED"));
        assertThat(DockerTestSupport.engine().imageId(tag)).isEmpty();

        cutter.restore();
        throughCutter.close();
        throughCutter = DockerEngine.connect(cutter.host());
        FakeStepContext again = context();
        Outputs out = new AppBuildStep().run(again);
        assertThat(out.get("image-id").toString()).startsWith("sha256:");
        assertThat(again.lines()).anyMatch(l -> l.contains("BUILD-STARTED")).anyMatch(l -> l.contains("BUILD-FINISHED"));
    }
}
