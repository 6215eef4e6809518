package dev.teeflow.protocol.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wallet lock holds across processes: another JVM's holder makes this one wait, and its death frees it. */
class WalletLockTest {
    private static final String ADDRESS = "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955";

    @TempDir
    Path home;

    /** The other process: takes the lock, says so, and holds it until told to go (or killed). */
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        WalletLock.under(home, 31337, ADDRESS).holding(() -> {
            try {
                Files.writeString(home.resolve("holding"), "yes");
                while (!Files.exists(home.resolve("release"))) {
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
    }

    @Test
    void aSecondProcessWaitsForTheHolderAndGetsTheLockWhenItIsDone() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process other = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                WalletLockTest.class.getName(), home.toString())).inheritIO().start();
        try {
            while (!Files.exists(home.resolve("holding"))) {
                assertThat(other.isAlive()).as("the other process exited before taking the lock").isTrue();
                Thread.sleep(20);
            }
            CompletableFuture<String> mine = CompletableFuture.supplyAsync(() ->
                    WalletLock.under(home, 31337, ADDRESS).holding(() -> Files.exists(home.resolve("release")) ? "after" : "during"));
            Thread.sleep(300); // give it the chance to get in wrongly; what it records below is the proof
            Files.writeString(home.resolve("release"), "go");
            assertThat(mine.get(60, TimeUnit.SECONDS)).isEqualTo("after");
            assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            other.destroyForcibly();
        }
    }
}
