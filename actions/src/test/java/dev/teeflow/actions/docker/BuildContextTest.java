package dev.teeflow.actions.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildContextTest {
    @TempDir
    Path dir;

    private void write(String rel, String content) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void entriesAndTarHonourTheDockerignoreButAlwaysCarryTheDockerfile() throws Exception {
        write("Dockerfile", "FROM scratch\n");
        write(".dockerignore", "Dockerfile\nnode_modules\n*.log\n!keep.log\n");
        write("src/app.py", "print(1)\n");
        write("node_modules/x/y.js", "x");
        write("debug.log", "noise");
        write("keep.log", "kept");

        BuildContext context = BuildContext.of(dir);
        assertThat(context.entries()).containsExactly(".dockerignore", "keep.log", "src", "src/app.py");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        context.writeTar(out, dir.resolve("Dockerfile"), "Dockerfile");
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                names.add(e.getName());
            }
        }
        assertThat(names).containsExactly(".dockerignore", "keep.log", "src/", "src/app.py", "Dockerfile");
    }

    @Test
    void teeflowsOwnStateFolderIsNeverPartOfAContext() throws Exception {
        write("Dockerfile", "FROM scratch\n");
        write("app.py", "x");
        write(".teeflow/state/app.checker.build.json", "{}");
        BuildContext context = BuildContext.of(dir);
        assertThat(context.entries()).containsExactly("Dockerfile", "app.py");
        assertThat(context.includes(".teeflow/state/app.checker.build.json")).isFalse();
        assertThat(context.includes(".teeflowrc")).isTrue();
    }
}
