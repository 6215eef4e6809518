package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files {@code teeflow init} writes are ordinary sources (rw-r--r--), not private temporary files. */
class InitFileModesTest {
    @TempDir
    Path dir;

    @Test
    void theProjectsFilesAreReadableByOthersAsAnEditorWouldWriteThem() throws Exception {
        Path project = dir.resolve("app");
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        int code = Main.run(new String[] {"init", project.toString(), "--yes", "--no-color"},
                Map.of("TEEFLOW_HOME", dir.resolve("home").toString()), sink, sink);
        assertThat(code).isZero();
        List<Path> files;
        try (Stream<Path> s = Files.walk(project)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertThat(files).extracting(f -> project.relativize(f).toString()).contains("teeflow.yml", "Dockerfile", "src/app.py");
        for (Path f : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(project.relativize(f).toString())
                    .isEqualTo("rw-r--r--");
        }
    }
}
