package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk fills up during an apply: one clear line and the summary, never a stack trace. A real small tmpfs
 * (needs root to mount; skipped otherwise).
 */
class DiskFullCliTest {
    @TempDir
    Path base;
    Path disk;
    boolean mounted;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        disk = Files.createDirectories(base.resolve("disk"));
        mounted = run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", disk.toString()) == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here (not root?): the disk-full test needs one");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("umount", disk.toString());
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @Test
    void aDiskThatFillsDuringApplyGivesOneClearLineAndTheSummary() throws Exception {
        Files.writeString(disk.resolve("teeflow.yml"), """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: t
                steps:
                  fill:
                    type: command
                    with: { run: 'head -c 400000 /dev/zero > filler || true', outputs: { filler: filler } }
                  after:
                    type: command
                    with: { run: 'echo done' }
                    needs: [fill]
                """);
        CliRun apply = CliRun.in(disk, Map.of(), "apply");
        String all = apply.out() + apply.err();
        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(all).contains("No space left on device").contains("disk is full");
        assertThat(all).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(apply.out()).contains("Apply failed: 0 done, 0 up-to-date, 1 failed, 1 not run.")
                .contains("failed:  fill: cannot write the state of fill").contains("not run: after: upstream fill failed");
    }
}
