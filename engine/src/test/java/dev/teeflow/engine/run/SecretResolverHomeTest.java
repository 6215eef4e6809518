package dev.teeflow.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.secret.Redactor;
import dev.teeflow.engine.secret.SecretRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolverHomeTest {
    @TempDir
    Path project;
    @TempDir
    Path home;

    @Test
    void fileSecretsUnderTildeAreReadFromTheUsersHome() throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_test"), "from-home\n");
        Files.writeString(project.resolve("local"), "from-project\n");
        String before = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            SecretResolver r = new SecretResolver(Map.of(), project, null, new Redactor());
            assertThat(r.resolve(SecretRef.parse("file:~/.ssh/id_test").orElseThrow()).text()).isEqualTo("from-home");
            assertThat(r.resolve(SecretRef.parse("file:local").orElseThrow()).text()).isEqualTo("from-project");
        } finally {
            System.setProperty("user.home", before);
        }
    }
}
