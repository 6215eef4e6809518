package dev.teeflow.actions.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.actions.docker.DockerEngine;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.testing.FakeStepContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** framework: scone with the sconify stand-in (a test double of the SCONE image) on the real engine. */
class AppSconeFlowTest {
    private static DockerEngine engine;
    private final String id = UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path project;

    @BeforeAll
    static void needDocker() throws Exception {
        engine = DockerTestSupport.engine();
        DockerTestSupport.buildStandIn();
    }

    @AfterAll
    static void close() throws Exception {
        engine.close();
    }

    private String build() throws Exception {
        Files.writeString(project.resolve("Dockerfile"),
                "FROM teeflow-test/busybox\nCOPY app.sh /app/app.sh\nENTRYPOINT [\"sh\", \"/app/app.sh\"]\n");
        Files.writeString(project.resolve("app.sh"), "echo \"computed $*\"\n");
        Outputs out = new AppBuildStep().run(new FakeStepContext("app.s.build", project,
                Map.of("tag", "teeflow-app/scone-" + id + ":build")));
        return out.string("image-id").orElseThrow();
    }

    private Map<String, Object> teeInputs(String imageId, String binary) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("image-id", imageId);
        in.put("repository", "teeflow-app/scone-" + id);
        in.put("version", "1.0.0-debug");
        in.put("framework", "scone");
        in.put("name", "scone-" + id);
        in.put("entrypoint", "sh /app/app.sh");
        in.put("binary", binary);
        in.put("heap", "1G");
        in.put("fs-dir", "/app");
        in.put("sconify-image", DockerTestSupport.STAND_IN);
        return in;
    }

    @Test
    void sconifyGivesAFingerprintAndTheMrenclaveBytesInTheirFixedOrder() throws Exception {
        String imageId = build();
        FakeStepContext ctx = new FakeStepContext("app.s.tee", project, teeInputs(imageId, "/bin/busybox"));
        Outputs out = new AppTeeStep().run(ctx);

        String fingerprint = out.string("fingerprint").orElseThrow();
        assertThat(fingerprint).matches("[0-9a-f]{64}");
        assertThat(out.string("image")).contains("teeflow-app/scone-" + id + ":1.0.0-debug");
        assertThat(out.string("mrenclave").orElseThrow().getBytes(StandardCharsets.UTF_8)).isEqualTo(
                ("{\"framework\":\"SCONE\",\"version\":\"v5\",\"entrypoint\":\"sh /app/app.sh\","
                        + "\"heapSize\":1073741824,\"fingerprint\":\"" + fingerprint + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(ctx.lines()).anySatisfy(l -> assertThat(l).startsWith("out: ").contains("successfully built TEE docker image"));

        // The sconified image still runs the app, and the same inputs give the same fingerprint.
        var run = engine.run(out.string("image").orElseThrow(), List.of("x"), Map.of(), Map.of(), l -> { });
        assertThat(run.stdout()).containsExactly("computed x");
        Outputs again = new AppTeeStep().run(new FakeStepContext("app.s.tee", project, teeInputs(imageId, "/bin/busybox")));
        assertThat(again.get("fingerprint")).isEqualTo(fingerprint);

        // A different heap is a different enclave.
        Map<String, Object> bigger = teeInputs(imageId, "/bin/busybox");
        bigger.put("heap", "2G");
        Outputs other = new AppTeeStep().run(new FakeStepContext("app.s.tee", project, bigger));
        assertThat(other.get("fingerprint")).isNotEqualTo(fingerprint);
        assertThat(other.string("mrenclave").orElseThrow()).contains("\"heapSize\":2147483648");
    }

    @Test
    void anUnreachableSconifyImageIsOneClearMessageWithoutAStackTrace() throws Exception {
        String imageId = build();
        Map<String, Object> in = teeInputs(imageId, "/bin/busybox");
        in.put("sconify-image", "127.0.0.1:1/no-such/sconify:" + id);
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> new AppTeeStep().run(new FakeStepContext("app.s.tee", project, in)))
                    .isInstanceOf(TeeflowException.class)
                    .hasMessageContaining("app.s.tee: the sconify image 127.0.0.1:1/no-such/sconify:" + id
                            + " is not on the engine and cannot be pulled").hasMessageContaining("SCONE licence");
        } finally {
            System.setErr(original);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void dockersColourCodesAreTakenOutOfLogLines() {
        assertThat(dev.teeflow.actions.docker.PlainText.of("\u001B[1;32mStep 1/3\u001B[0m : FROM x\u001B]0;title\u0007"))
                .isEqualTo("Step 1/3 : FROM x");
    }

    @Test
    void aFailedSconifyShowsItsLastLinesWithSecretsMasked() throws Exception {
        String imageId = build();
        FakeStepContext ctx = new FakeStepContext("app.s.tee", project, teeInputs(imageId, "/usr/local/bin/python3.7"));
        ctx.redactor().register("python3.7");
        assertThatThrownBy(() -> new AppTeeStep().run(ctx))
                .isInstanceOf(TeeflowException.class)
                .hasMessageContaining("app.s.tee: sconify (teeflow-test/sconify-stand-in) failed with exit code 1")
                .hasMessageContaining("binary /usr/local/bin/*** not found")
                .hasMessageNotContaining("python3.7");
    }
}
