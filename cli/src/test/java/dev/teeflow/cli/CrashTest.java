package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run killed with SIGKILL in the middle of apply is finished by the next apply, without redoing what was done. */
class CrashTest {
    @TempDir
    Path dir;

    @Test
    void killMinusNineMidApplyThenApplyFinishesWithoutRepeatingCompletedSteps() throws Exception {
        Files.writeString(dir.resolve("slow-once"), "");
        Files.writeString(dir.resolve("teeflow.yml"), """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: crash
                steps:
                  first:
                    type: command
                    with: { run: "echo first >> runs.log; echo 1 > first.txt", outputs: { f: first.txt } }
                  slow:
                    type: command
                    with:
                      run: "echo slow >> runs.log; if [ -f slow-once ]; then rm slow-once; touch slow-started; sleep 60; fi; echo 2 > slow.txt"
                      outputs: { f: slow.txt }
                      inputs: ["${{ first.f }}"]
                  last:
                    type: command
                    with: { run: "echo last >> runs.log; cat first.txt slow.txt > last.txt", inputs: ["${{ slow.f }}"], outputs: { f: last.txt } }
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "apply", "--file", dir.resolve("teeflow.yml").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (!Files.exists(dir.resolve("slow-started")) && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(dir.resolve("slow-started")).as(Files.readString(dir.resolve("child.log"))).exists();
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
            child.waitFor(10, TimeUnit.SECONDS);
            // the killed shell's `sleep` would hold nothing we need; let it be
        }
        assertThat(dir.resolve(".teeflow/state/first.json")).exists();
        assertThat(dir.resolve(".teeflow/state/slow.json")).doesNotExist();
        // The kernel released the dead run's lock: the next apply needs no force-unlock.
        CliRun resumed = CliRun.in(dir, Map.of(), "apply");

        assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
        assertThat(resumed.out()).contains("= first up-to-date").contains("+ slow done").contains("+ last done");
        assertThat(Files.readAllLines(dir.resolve("runs.log"))).containsExactly("first", "slow", "slow", "last");
        assertThat(Files.readString(dir.resolve("last.txt"))).isEqualTo("1\n2\n");
        try (var leftovers = Files.list(dir.resolve(".teeflow/state"))) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).allMatch(n -> n.endsWith(".json") && !n.startsWith("."));
        }
    }

    @Test
    void aSecondApplyWaitsForTheLockNamesItsHolderAndAKilledHolderReleasesIt() throws Exception {
        Files.writeString(dir.resolve("teeflow.yml"), """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: locked
                steps:
                  slow:
                    type: command
                    with: { run: "touch started; sleep 60; echo done > slow.txt", outputs: { f: slow.txt } }
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "apply", "--file", dir.resolve("teeflow.yml").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("holder.log").toFile()).start();
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (!Files.exists(dir.resolve("started")) && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            long start = System.nanoTime();
            CliRun waiting = CliRun.in(dir, Map.of(), "apply", "--lock-timeout", "1s");
            assertThat(System.nanoTime() - start).isGreaterThan(Duration.ofMillis(900).toNanos());
            assertThat(waiting.exitCode()).isEqualTo(1);
            assertThat(waiting.err()).contains("locked by 'apply'").contains("(pid " + holder.pid() + ")");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        Files.delete(dir.resolve("started"));
        // no force-unlock: the kernel released the killed holder's lock
        assertThat(Files.readString(dir.resolve("teeflow.yml"))).contains("sleep 60");
        Files.writeString(dir.resolve("teeflow.yml"), Files.readString(dir.resolve("teeflow.yml")).replace("sleep 60", "true"));
        CliRun after = CliRun.in(dir, Map.of(), "apply");
        assertThat(after.exitCode()).as(after.err()).isZero();
    }

    static String classpath() {
        return System.getProperty("java.class.path").replace(File.pathSeparatorChar, File.pathSeparatorChar);
    }
}
