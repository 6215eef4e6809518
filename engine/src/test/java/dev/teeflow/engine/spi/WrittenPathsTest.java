package dev.teeflow.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WrittenPathsTest {
    private final Path project = Path.of("/work/project");
    private final Path home = Path.of(System.getProperty("user.home"));

    @Test
    void aTildeMeansTheUsersHomeAndAnythingElseTheBase() {
        assertThat(WrittenPaths.resolve(project, "~/.ssh/id_ed25519")).isEqualTo(home.resolve(".ssh/id_ed25519"));
        assertThat(WrittenPaths.resolve(project, "~")).isEqualTo(home);
        assertThat(WrittenPaths.resolve(project, "secrets/../token.txt")).isEqualTo(Path.of("/work/project/token.txt"));
        assertThat(WrittenPaths.resolve(project, "~alice/key")).isEqualTo(Path.of("/work/project/~alice/key"));
        assertThat(WrittenPaths.resolve(project, "/etc/ssh/known_hosts")).isEqualTo(Path.of("/etc/ssh/known_hosts"));
    }
}
