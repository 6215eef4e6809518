package dev.teeflow.devnet;

import dev.teeflow.files.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * The background JVM behind {@code teeflow devnet up}: starts a {@link Devnet}, records its pids and
 * {@code devnet.json}, and runs until SIGTERM ({@code devnet down}), when it stops everything, anvil writing the
 * chain state back into the devnet directory. A start failure is written to {@code failed.txt} for {@code up}.
 *
 * <p>Arguments: {@code <devnet dir> <name> <port base> <chain id> <cache dir>}.
 */
public final class DevnetDaemon {
    private DevnetDaemon() {
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: DevnetDaemon <devnet dir> <name> <port base> <chain id> <cache dir>");
            System.exit(2);
        }
        DevnetConfig config = new DevnetConfig(args[1], Path.of(args[0]), new DevnetPorts(Integer.parseInt(args[2])),
                Long.parseLong(args[3]), Path.of(args[4]));
        System.exit(run(config));
    }

    static int run(DevnetConfig config) {
        log("devnet '" + config.name() + "' starting (daemon pid " + ProcessHandle.current().pid() + ")");
        Devnet devnet;
        try {
            writePid(config.daemonPidFile(), ProcessHandle.current().pid());
            devnet = Devnet.start(config, DevnetDaemon::log);
            writePid(config.anvilPidFile(), devnet.chain().pid());
            config.writeInfo(devnet.info()); // last: `up` waits for this file
        } catch (Throwable e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            log("start failed: " + trace);
            writeQuietly(config.failureFile(), String.valueOf(e.getMessage()));
            deleteQuietly(config.daemonPidFile());
            return 1;
        }
        log("devnet '" + config.name() + "' ready: " + config.infoFile());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("stopping");
            deleteQuietly(config.infoFile());
            devnet.close();
            deleteQuietly(config.anvilPidFile());
            deleteQuietly(config.daemonPidFile());
            log("stopped");
            stopped.countDown();
        }, "devnet-stop"));
        try {
            stopped.await(); // until SIGTERM runs the hook (the JVM then exits)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void log(String line) {
        System.out.println(Instant.now() + " " + line);
        System.out.flush();
    }

    private static void writePid(Path file, long pid) throws IOException {
        AtomicFiles.write(file, (pid + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
    }

    private static void writeQuietly(Path file, String text) {
        try {
            AtomicFiles.write(file, (text + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
        } catch (IOException ignored) {
            // the log has the full story
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // nothing to clean
        }
    }
}
