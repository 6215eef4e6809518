package dev.teeflow.devnet;

import dev.teeflow.protocol.devnet.DevnetInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts and stops devnet daemons from another process ({@code teeflow devnet up|down|status}). The daemon is a
 * JVM on the same class path, in its own session (no terminal, no hangup signal), logging to
 * {@code <devnet dir>/logs/daemon.log}; its pid and anvil's are recorded so that {@code down} stops both even if
 * the daemon died.
 */
public final class DevnetLauncher {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(10); // a first start downloads and deploys
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final String javaCommand;
    private final String classPath;
    private final PrintStream out;

    /**
     * @param javaCommand the java binary for the daemon (usually this JVM's)
     * @param classPath   the daemon's class path (usually this JVM's)
     * @param out         progress and summaries
     */
    public DevnetLauncher(String javaCommand, String classPath, PrintStream out) {
        this.javaCommand = javaCommand;
        this.classPath = classPath;
        this.out = out;
    }

    /** The launcher for the current JVM's java binary and class path. */
    public static DevnetLauncher forThisJvm(PrintStream out) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new DevnetLauncher(java, System.getProperty("java.class.path"), out);
    }

    /** Starts the daemon, waits until devnet.json is written and every component answers; returns its info. */
    public DevnetInfo up(DevnetConfig config) {
        Optional<ProcessHandle> running = daemon(config);
        if (running.isPresent() && Files.isRegularFile(config.infoFile())) {
            DevnetInfo info = DevnetConfig.readInfo(config.infoFile());
            Optional<DevnetHealth.Probe> dead = DevnetHealth.checkServices(info).stream().filter(p -> !p.healthy()).findFirst();
            if (dead.isEmpty()) {
                out.println("devnet '" + config.name() + "' is already up (daemon pid " + running.get().pid() + ")");
                return info;
            }
            // A daemon whose chain (or service) died is not "up": start it again, the chain state is kept.
            out.println("devnet '" + config.name() + "' has a daemon (pid " + running.get().pid() + ") but its "
                    + dead.get().component() + " does not answer (" + dead.get().detail() + "): restarting it");
            down(config);
            running = Optional.empty();
        }
        if (running.isPresent()) {
            throw new DevnetException("devnet '" + config.name() + "' has a daemon (pid " + running.get().pid()
                    + ") but no devnet.json: it is starting or stuck; run `teeflow devnet down --name "
                    + config.name() + "` first");
        }
        stopStrayAnvil(config);
        config.ports().requireFree();
        try {
            Files.createDirectories(config.logDir());
        } catch (IOException e) {
            throw new DevnetException("cannot create " + config.logDir() + ": " + e.getMessage(), e);
        }
        DevnetDaemon.deleteQuietly(config.infoFile());
        DevnetDaemon.deleteQuietly(config.failureFile());
        Path log = config.logDir().resolve("daemon.log");
        long logStart = size(log);
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid"); // own session: survives the terminal closing
        }
        command.addAll(List.of(javaCommand, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath,
                DevnetDaemon.class.getName(),
                config.dir().toString(), config.name(), Integer.toString(config.ports().base()),
                Long.toString(config.chainId()), config.cacheDir().toString()));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new DevnetException("cannot start the devnet daemon (" + javaCommand + "): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        long shown = logStart;
        while (true) {
            shown = echoNewLines(log, shown);
            if (Files.isRegularFile(config.infoFile())) {
                DevnetInfo info = DevnetConfig.readInfo(config.infoFile());
                if (DevnetHealth.allHealthy(DevnetHealth.checkServices(info))) {
                    echoNewLines(log, shown);
                    return info;
                }
            }
            if (!process.isAlive() && daemon(config).isEmpty()) {
                echoNewLines(log, shown);
                String why = readQuietly(config.failureFile()).orElse("the daemon exited with code "
                        + process.exitValue() + "; see " + log);
                throw new DevnetException("devnet '" + config.name() + "' failed to start: " + why.strip()
                        + " (log: " + log + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new DevnetException("devnet '" + config.name() + "' did not come up within "
                        + START_TIMEOUT.toMinutes() + " min; see " + log + " and run `teeflow devnet down`");
            }
            sleep(100);
        }
    }

    /** Stops the daemon and anvil; returns false when nothing was running. Leaves no process behind. */
    public boolean down(DevnetConfig config) {
        boolean any = false;
        Optional<ProcessHandle> daemon = daemon(config);
        if (daemon.isPresent()) {
            any = true;
            out.println("stopping devnet '" + config.name() + "' (daemon pid " + daemon.get().pid() + ")");
            stop(daemon.get());
        }
        if (stopStrayAnvil(config)) {
            any = true;
        }
        DevnetDaemon.deleteQuietly(config.daemonPidFile());
        DevnetDaemon.deleteQuietly(config.anvilPidFile());
        DevnetDaemon.deleteQuietly(config.infoFile());
        return any;
    }

    /** The running daemon, when its pid file names a live JVM running {@link DevnetDaemon}. */
    public static Optional<ProcessHandle> daemon(DevnetConfig config) {
        return process(config.daemonPidFile(), DevnetDaemon.class.getName());
    }

    /** anvil, when its pid file names a live anvil (the daemon died without stopping it, or is running). */
    static Optional<ProcessHandle> anvil(DevnetConfig config) {
        return process(config.anvilPidFile(), "anvil");
    }

    private boolean stopStrayAnvil(DevnetConfig config) {
        Optional<ProcessHandle> anvil = anvil(config);
        if (anvil.isEmpty() || daemon(config).isPresent()) {
            return false;
        }
        out.println("stopping anvil left by a dead daemon (pid " + anvil.get().pid() + ")");
        stop(anvil.get());
        DevnetDaemon.deleteQuietly(config.anvilPidFile());
        return true;
    }

    /** A live process from a pid file whose command line mentions {@code marker} (a reused pid is not ours). */
    private static Optional<ProcessHandle> process(Path pidFile, String marker) {
        Optional<String> pid = readQuietly(pidFile).map(String::strip);
        if (pid.isEmpty() || !pid.get().matches("\\d{1,10}")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(pid.get())).filter(ProcessHandle::isAlive)
                .filter(p -> commandLine(p).contains(marker));
    }

    private static String commandLine(ProcessHandle p) {
        Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
        try {
            if (Files.isReadable(cmdline)) {
                return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
            }
        } catch (IOException ignored) {
            // fall back to what the JDK knows
        }
        return p.info().commandLine().orElse(p.info().command().orElse(""));
    }

    /** SIGTERM (so anvil saves the chain), then SIGKILL after the timeout. */
    private static void stop(ProcessHandle p) {
        p.destroy();
        try {
            p.onExit().get(STOP_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception timeoutOrInterrupt) {
            p.destroyForcibly();
            try {
                p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by status if it survived SIGKILL
            }
        }
    }

    private long echoNewLines(Path log, long from) {
        long size = size(log);
        if (size <= from) {
            return from;
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            f.seek(from);
            byte[] bytes = new byte[(int) Math.min(size - from, 1 << 20)];
            f.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int lastNewline = text.lastIndexOf('\n');
            if (lastNewline < 0) {
                return from;
            }
            for (String line : text.substring(0, lastNewline).split("\n")) {
                out.println("  " + line);
            }
            return from + text.substring(0, lastNewline + 1).getBytes(StandardCharsets.UTF_8).length;
        } catch (IOException e) {
            return size;
        }
    }

    private static long size(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    static Optional<String> readQuietly(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevnetException("interrupted while waiting for the devnet");
        }
    }
}
