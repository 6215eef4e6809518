package dev.teeflow.devnet.chain;

import dev.teeflow.devnet.net.LocalPorts;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One anvil node on 127.0.0.1: automine (a block per transaction, no waiting), a fixed chain id, the ten
 * default dev accounts. {@link #close()} stops it; a JVM shutdown hook stops it too, so no orphan survives
 * a normal exit.
 */
public final class AnvilProcess implements AutoCloseable {
    private static final String HOST = "127.0.0.1";

    /**
     * @param port      the RPC port on 127.0.0.1; 0 picks a free one
     * @param loadState a state file to start from (null = empty chain)
     * @param dumpState where anvil writes its state when it stops (null = nowhere)
     * @param log       anvil's output (null = discarded)
     */
    public record Options(int port, long chainId, Path loadState, Path dumpState, Path log) {
    }

    private final Process process;
    private final int port;
    private final long chainId;
    private final Thread shutdownHook;
    private Web3j web3j;

    private AnvilProcess(Process process, int port, long chainId) {
        this.process = process;
        this.port = port;
        this.chainId = chainId;
        this.shutdownHook = new Thread(this::stopProcess, "anvil-" + port + "-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static AnvilProcess start(Path binary, Options options) {
        int port = options.port() == 0 ? freePort() : checkFree(options.port());
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--host", HOST, "--port",
                Integer.toString(port), "--chain-id", Long.toString(options.chainId()), "--accounts", "10",
                "--balance", "10000"));
        if (options.loadState() != null) {
            command.addAll(List.of("--load-state", options.loadState().toString()));
        }
        if (options.dumpState() != null) {
            command.addAll(List.of("--dump-state", options.dumpState().toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.redirectOutput(options.log() == null ? ProcessBuilder.Redirect.DISCARD
                : ProcessBuilder.Redirect.appendTo(options.log().toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new DevChainException("cannot start anvil (" + binary + "): " + e.getMessage(), e);
        }
        AnvilProcess anvil = new AnvilProcess(process, port, options.chainId());
        try {
            anvil.awaitReady(options.log());
        } catch (RuntimeException e) {
            anvil.close();
            throw e;
        }
        return anvil;
    }

    public String rpcUrl() {
        return "http://" + HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public long chainId() {
        return chainId;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public synchronized Web3j web3j() {
        if (web3j == null) {
            web3j = Web3j.build(new HttpService(rpcUrl()));
        }
        return web3j;
    }

    /** Stops anvil (SIGTERM, so it can write its --dump-state file; killed after 10 s). */
    @Override
    public void close() {
        synchronized (this) {
            if (web3j != null) {
                web3j.shutdown();
                web3j = null;
            }
        }
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run: nothing left to do
        }
    }

    private void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(rpcUrl()))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
                .timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new DevChainException("anvil exited with code " + process.exitValue() + " before it answered on "
                        + rpcUrl() + tail(log));
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"result\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevChainException("interrupted while starting anvil", e);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevChainException("interrupted while starting anvil", e);
            }
        }
        throw new DevChainException("anvil did not answer on " + rpcUrl() + " within 30 s" + tail(log));
    }

    private static String tail(Path log) {
        if (log == null || !Files.isRegularFile(log)) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(log);
            return ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** Fails early and clearly when the port is taken (anvil's own message is easy to miss). */
    static int checkFree(int port) {
        if (port < 1 || port > 65535) {
            throw new DevChainException("chain port " + port + " is not a valid TCP port (1-65535, or 0 for any free port)");
        }
        if (!LocalPorts.isFree(port)) {
            throw new DevChainException("chain port " + port + " on " + HOST + " is already in use (another devnet or"
                    + " program listens there): stop it or choose another port");
        }
        return port;
    }

    private static int freePort() {
        try {
            return LocalPorts.freeBlock(1);
        } catch (IllegalStateException e) {
            throw new DevChainException(e.getMessage(), e);
        }
    }
}
