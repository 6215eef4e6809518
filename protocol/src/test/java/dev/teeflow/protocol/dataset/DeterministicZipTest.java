package dev.teeflow.protocol.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeterministicZipTest {
    @TempDir
    Path dir;

    @Test
    void anUnchangedFolderGivesIdenticalBytesWhateverItsTimesAndModes() throws Exception {
        Path folder = sampleFolder();
        byte[] first = zip(folder);

        Files.setLastModifiedTime(folder.resolve("b.txt"), FileTime.fromMillis(1_000_000));
        Files.setPosixFilePermissions(folder.resolve("sub/c.csv"), PosixFilePermissions.fromString("rwxrwxrwx"));
        byte[] second = zip(folder);

        assertThat(second).isEqualTo(first);
        Files.writeString(folder.resolve("b.txt"), "changed");
        assertThat(zip(folder)).isNotEqualTo(first);
    }

    @Test
    void entriesAreSortedAndReadable() throws Exception {
        Path folder = sampleFolder();
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip(folder)))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
                if (e.getName().equals("sub/c.csv")) {
                    assertThat(new String(in.readAllBytes())).isEqualTo("x,y\n1,2\n");
                }
            }
        }
        assertThat(names).containsExactly("a.txt", "b.txt", "sub/", "sub/c.csv", "sub/deeper/", "sub/deeper/d.bin");
    }

    @Test
    void aSymlinkLoopIsAClearError() throws Exception {
        Path folder = sampleFolder();
        Files.createSymbolicLink(folder.resolve("sub/deeper/back"), folder.resolve("sub"));
        assertThatThrownBy(() -> zip(folder)).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("sub/deeper/back").hasMessageContaining("loop");
    }

    @Test
    void aBrokenLinkIsAClearError() throws Exception {
        Path folder = sampleFolder();
        Files.createSymbolicLink(folder.resolve("dangling"), folder.resolve("nowhere"));
        assertThatThrownBy(() -> zip(folder)).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("dangling");
    }

    private Path sampleFolder() throws Exception {
        Path folder = dir.resolve("data");
        Files.createDirectories(folder.resolve("sub/deeper"));
        Files.writeString(folder.resolve("b.txt"), "bee");
        Files.writeString(folder.resolve("a.txt"), "ay");
        Files.writeString(folder.resolve("sub/c.csv"), "x,y\n1,2\n");
        Files.write(folder.resolve("sub/deeper/d.bin"), new byte[] {1, 2, 3});
        return folder;
    }

    private static byte[] zip(Path folder) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DeterministicZip.zip(folder, out);
        return out.toByteArray();
    }
}
