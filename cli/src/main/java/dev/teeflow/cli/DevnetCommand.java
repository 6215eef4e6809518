package dev.teeflow.cli;

import dev.teeflow.devnet.DevnetConfig;
import dev.teeflow.devnet.DevnetException;
import dev.teeflow.devnet.DevnetHealth;
import dev.teeflow.devnet.DevnetLauncher;
import dev.teeflow.devnet.DevnetPorts;
import dev.teeflow.devnet.DevnetSummary;
import dev.teeflow.devnet.IexecCliConfig;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.files.AtomicFiles;
import dev.teeflow.protocol.devnet.DevnetInfo;
import dev.teeflow.protocol.home.TeeflowHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code teeflow devnet up|down|status|env}: the local iExec network (see docs/devnet.md). */
@Command(name = "devnet", description = "Runs a local iExec network (chain, SMS, market, storage, git, workerpool).",
        subcommands = {DevnetCommand.Up.class, DevnetCommand.Down.class, DevnetCommand.Status.class,
                DevnetCommand.Env.class})
final class DevnetCommand {

    /** Options every devnet subcommand shares. */
    abstract static class Base implements Callable<Integer> {
        final CliContext ctx;

        @Option(names = "--name", defaultValue = DevnetConfig.DEFAULT_NAME,
                description = "Which devnet (default: ${DEFAULT-VALUE}); each has its own directory and ports.")
        String name;

        Base(CliContext ctx) {
            this.ctx = ctx;
        }

        Path home() {
            return TeeflowHome.of(ctx.env);
        }

        Path dir() {
            return DevnetConfig.dirOf(home(), name);
        }

        /** The port base recorded by the last `up` of this devnet, else the default. */
        int recordedPortBase() {
            Path file = dir().resolve("port-base");
            try {
                return Files.isRegularFile(file) ? Integer.parseInt(Files.readString(file).strip())
                        : DevnetPorts.DEFAULT_BASE;
            } catch (java.io.IOException | NumberFormatException e) {
                return DevnetPorts.DEFAULT_BASE;
            }
        }

        DevnetConfig config(int portBase) {
            return DevnetConfig.of(home(), name, new DevnetPorts(portBase));
        }

        DevnetInfo requireInfo() {
            Path file = dir().resolve(DevnetInfo.FILE_NAME);
            if (!Files.isRegularFile(file)) {
                throw new TeeflowException("devnet '" + name + "' is not up (no " + file + "): run `teeflow devnet up"
                        + (name.equals(DevnetConfig.DEFAULT_NAME) ? "" : " --name " + name) + "`");
            }
            return DevnetConfig.readInfo(file);
        }

        @Override
        public final Integer call() {
            try {
                return run();
            } catch (DevnetException e) {
                throw new TeeflowException(e.getMessage(), e);
            }
        }

        abstract int run();
    }

    @Command(name = "up", description = "Starts the devnet in the background and waits until every component answers.")
    static final class Up extends Base {
        @Option(names = "--port-base", description = "First of 6 consecutive ports: RPC, SMS, market, storage, git, "
                + "workerpool API (default: the last one used, else " + DevnetPorts.DEFAULT_BASE + ").")
        Integer portBase;

        @Option(names = "--detach", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Run in a background daemon and return (default). --no-detach runs in this terminal until Ctrl-C.")
        boolean detach;

        Up(CliContext ctx) {
            super(ctx);
        }

        @Override
        int run() {
            DevnetConfig config = config(portBase != null ? portBase : recordedPortBase());
            long start = System.nanoTime();
            if (!detach) {
                return foreground(config);
            }
            DevnetInfo info = DevnetLauncher.forThisJvm(ctx.terminal.out).up(config);
            record(config);
            ctx.terminal.out.println();
            DevnetSummary.print(info, DevnetHealth.check(info), ctx.terminal.out);
            ctx.terminal.out.println();
            ctx.terminal.out.println("up in " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms; stop it with `teeflow devnet down"
                    + (name.equals(DevnetConfig.DEFAULT_NAME) ? "" : " --name " + name) + "`");
            return Main.OK;
        }

        private int foreground(DevnetConfig config) {
            try (dev.teeflow.devnet.Devnet devnet = dev.teeflow.devnet.Devnet.start(config, ctx.terminal.out::println)) {
                config.writeInfo(devnet.info());
                record(config);
                DevnetSummary.print(devnet.info(), DevnetHealth.check(devnet.info()), ctx.terminal.out);
                ctx.terminal.out.println("running in the foreground; Ctrl-C stops it");
                Thread.currentThread().join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Main.OK;
        }

        private void record(DevnetConfig config) {
            try {
                AtomicFiles.write(config.dir().resolve("port-base"),
                        (config.ports().base() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
            } catch (java.io.IOException ignored) {
                // only a convenience for the next `up`
            }
        }
    }

    @Command(name = "down", description = "Stops the devnet (daemon and anvil); the chain state is kept for the next up.")
    static final class Down extends Base {
        Down(CliContext ctx) {
            super(ctx);
        }

        @Override
        int run() {
            long start = System.nanoTime();
            boolean stopped = DevnetLauncher.forThisJvm(ctx.terminal.out).down(config(recordedPortBase()));
            ctx.terminal.out.println(stopped ? "devnet '" + name + "' stopped in "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms"
                    : "devnet '" + name + "' was not running");
            return Main.OK;
        }
    }

    @Command(name = "status", description = "Shows whether each component answers, addresses, ports and dev keys.")
    static final class Status extends Base {
        Status(CliContext ctx) {
            super(ctx);
        }

        @Override
        int run() {
            DevnetInfo info = requireInfo();
            List<DevnetHealth.Probe> probes = DevnetHealth.check(info);
            java.util.Optional<ProcessHandle> daemonProcess = DevnetLauncher.daemon(config(recordedPortBase()));
            boolean daemon = daemonProcess.isPresent();
            daemonProcess.ifPresent(p -> ctx.terminal.out.println("daemon pid " + p.pid() + ", directory " + dir()));
            if (!daemon) {
                ctx.terminal.out.println("warning: no devnet daemon is running for '" + name + "' (started with --no-detach, "
                        + "or it died: `teeflow devnet down` cleans up)");
            }
            DevnetSummary.print(info, probes, ctx.terminal.out);
            return DevnetHealth.allHealthy(DevnetHealth.checkServices(info)) ? Main.OK : Main.FAILED;
        }
    }

    @Command(name = "env", description = "Prints the iexec CLI's chain.json for this devnet (stdout) and the wallet "
            + "import line (stderr).")
    static final class Env extends Base {
        @Option(names = "--account", defaultValue = "3",
                description = "Dev account for the wallet line: 0 deployer, 1 workerpool owner, 2 worker, 3 user (default).")
        int account;

        Env(CliContext ctx) {
            super(ctx);
        }

        @Override
        int run() {
            DevnetInfo info = requireInfo();
            if (account < 0 || account >= info.accounts().size()) {
                throw new TeeflowException("--account " + account + " does not exist: use 0.." + (info.accounts().size() - 1));
            }
            ctx.terminal.out.print(IexecCliConfig.chainJson(info));
            ctx.terminal.err.println("# save the above as chain.json in your iexec project, then (PUBLIC TEST KEY, "
                    + "dev account " + account + " '" + info.accounts().get(account).role() + "'):");
            ctx.terminal.err.println(IexecCliConfig.walletImportCommand(info.accounts().get(account)));
            ctx.terminal.err.println("# IPFS uploads (the SDK's ipfsNode, POST /api/v0/add) go to " + info.ipfsNode()
                    + ", the same URL as ipfsGateway; the iexec CLI 9's chain.json has no key for it (the JS SDK takes it"
                    + " as ipfsNodeURL)");
            return Main.OK;
        }
    }
}
