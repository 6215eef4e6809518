package dev.teeflow.actions.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.testing.FakeStepContext;
import dev.teeflow.protocol.net.AuthRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** app.push against a registry that wants credentials (a second docker-registry with htpasswd). */
class AppPushCredentialsTest {
    @TempDir
    Path project;
    @TempDir
    Path registryDir;

    @Test
    void refusedCredentialsAreNamedAndTheRightOnesPushAndVerify() throws Exception {
        DockerTestSupport.engine().close();
        String id = UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(project.resolve("Dockerfile"), "FROM teeflow-test/busybox\nRUN echo " + id + " > /id\n");
        Outputs build = new AppBuildStep().run(new FakeStepContext("app.c.build", project, Map.of("tag", "teeflow-app/c-" + id + ":b")));

        try (AuthRegistry registry = new AuthRegistry(registryDir, "tester", "right-password")) {
            String repository = registry.address + "/teeflow-test/private-" + id;
            Map<String, Object> wrong = Map.of("image", build.get("image"), "repository", repository, "tag", "1.0.0",
                    "username", "tester", "password", Secret.ofText(SecretRef.env("REG_PASSWORD"), "wrong-password"));
            assertThatThrownBy(() -> new AppPushStep().run(new FakeStepContext("app.c.push", project, wrong)))
                    .isInstanceOf(TeeflowException.class)
                    .hasMessageContaining("app.c.push: registry " + registry.address + " refused the credentials of user 'tester'")
                    .hasMessageNotContaining("wrong-password");

            Map<String, Object> anonymous = Map.of("image", build.get("image"), "repository", repository, "tag", "1.0.0");
            assertThatThrownBy(() -> new AppPushStep().run(new FakeStepContext("app.c.push", project, anonymous)))
                    .isInstanceOf(TeeflowException.class)
                    .hasMessageContaining("refused anonymous access");

            Map<String, Object> right = Map.of("image", build.get("image"), "repository", repository, "tag", "1.0.0",
                    "username", "tester", "password", Secret.ofText(SecretRef.env("REG_PASSWORD"), "right-password"));
            FakeStepContext ctx = new FakeStepContext("app.c.push", project, right);
            Outputs pushed = new AppPushStep().run(ctx);
            assertThat(pushed.string("checksum").orElseThrow()).matches("0x[0-9a-f]{64}");
            assertThat(new AppPushStep().verify(ctx, pushed).stillHolds()).isTrue();
            assertThat(ctx.lines()).noneMatch(l -> l.contains("right-password"));
        }
    }
}
