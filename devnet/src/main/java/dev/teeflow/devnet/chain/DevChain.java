package dev.teeflow.devnet.chain;

import dev.teeflow.files.AtomicFiles;
import dev.teeflow.protocol.chain.ContractCaller;
import dev.teeflow.protocol.chain.PocoHub;
import dev.teeflow.protocol.chain.TxSender;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.web3j.protocol.Web3j;
import org.web3j.utils.Numeric;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

/**
 * The devnet chain: anvil with PoCo deployed. The first start deploys PoCo (a few seconds) and saves
 * a snapshot ({@code state.json} + {@code manifest.json}) in the cache; every later start loads it.
 */
public final class DevChain implements AutoCloseable {
    /** Bump when the deploy changes what ends up on chain: old snapshots are then ignored. */
    static final int DEPLOY_REVISION = 1;

    private final AnvilProcess anvil;
    private final ChainManifest manifest;
    private final Duration startDuration;
    private final boolean freshlyDeployed;

    private DevChain(AnvilProcess anvil, ChainManifest manifest, Duration startDuration, boolean freshlyDeployed) {
        this.anvil = anvil;
        this.manifest = manifest;
        this.startDuration = startDuration;
        this.freshlyDeployed = freshlyDeployed;
    }

    public static DevChain start(DevChainConfig config) {
        long begin = System.nanoTime();
        NpmInstaller installer = new NpmInstaller(config.cacheDir(), config.progress());
        Path anvilBinary = AnvilBinary.locate(installer);
        String anvilVersion = System.getenv(AnvilBinary.ENV) == null || System.getenv(AnvilBinary.ENV).isBlank()
                ? PinnedPackages.ANVIL_LINUX_X64.version() : AnvilBinary.version(anvilBinary);
        Path snapshotDir = snapshotDir(config, anvilVersion);
        boolean deployed = false;
        if (!Files.isRegularFile(snapshotDir.resolve("manifest.json"))) {
            deployed = createSnapshot(config, installer, anvilBinary, anvilVersion, snapshotDir);
        }
        ChainManifest manifest = ChainManifest.read(snapshotDir.resolve("manifest.json"));
        Path load = config.stateFile() != null && Files.isRegularFile(config.stateFile())
                ? config.stateFile() : snapshotDir.resolve("state.json");
        AnvilProcess anvil = AnvilProcess.start(anvilBinary, new AnvilProcess.Options(config.port(), config.chainId(),
                load, config.stateFile(), config.logFile()));
        try {
            if (!new ContractCaller(anvil.web3j()).hasCode(manifest.hub())) {
                throw new DevChainException("the chain state " + load + " has no PoCo hub at " + manifest.hub()
                        + ": delete " + (load.equals(config.stateFile()) ? load : snapshotDir) + " and start again");
            }
        } catch (RuntimeException e) {
            anvil.close();
            throw e;
        }
        return new DevChain(anvil, manifest, Duration.ofNanos(System.nanoTime() - begin), deployed);
    }

    /** The snapshot for this chain id and these pinned versions: {@code <cache>/devnet-chain/<key>/}. */
    static Path snapshotDir(DevChainConfig config, String anvilVersion) {
        String key = config.chainId() + "_poco-" + PinnedPackages.POCO.version() + "_rlc-"
                + PinnedPackages.RLC_FAUCET.version() + "_anvil-" + anvilVersion.replaceAll("[^A-Za-z0-9.]", "")
                + "_r" + DEPLOY_REVISION;
        return config.cacheDir().resolve("devnet-chain").resolve(key);
    }

    @SuppressWarnings("try") // the lock is held for the block, never referenced
    private static boolean createSnapshot(DevChainConfig config, NpmInstaller installer, Path anvilBinary,
                                          String anvilVersion, Path snapshotDir) {
        try {
            Files.createDirectories(snapshotDir);
            try (FileChannel lockFile = FileChannel.open(snapshotDir.resolve(".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                if (Files.isRegularFile(snapshotDir.resolve("manifest.json"))) {
                    return false; // another process deployed while we waited
                }
                Path poco = installer.install(PinnedPackages.POCO);
                Path rlc = installer.install(PinnedPackages.RLC_FAUCET);
                config.progress().accept("first start: deploying PoCo " + PinnedPackages.POCO.version()
                        + " on a fresh chain (chain id " + config.chainId() + ")");
                long deployStart = System.nanoTime();
                try (AnvilProcess anvil = AnvilProcess.start(anvilBinary, new AnvilProcess.Options(config.port(),
                        config.chainId(), null, null, config.logFile()))) {
                    Web3j web3j = anvil.web3j();
                    ChainManifest manifest = new PocoDeployer(poco, rlc, config.progress()).deploy(
                            sender(web3j, config.chainId(), DevAccounts.DEPLOYER),
                            sender(web3j, config.chainId(), DevAccounts.SCHEDULER),
                            new ContractCaller(web3j), anvilVersion);
                    writeState(anvil.rpcUrl(), snapshotDir.resolve("state.json"));
                    manifest.write(snapshotDir.resolve("manifest.json")); // last: marks the snapshot complete
                    config.progress().accept("PoCo deployed and snapshot saved in "
                            + Duration.ofNanos(System.nanoTime() - deployStart).toMillis() + " ms: " + snapshotDir);
                }
                return true;
            }
        } catch (IOException e) {
            throw new DevChainException("cannot create the chain snapshot in " + snapshotDir + ": " + e.getMessage(), e);
        }
    }

    /** anvil_dumpState answers gzip'ed JSON as hex; --load-state reads the JSON, written atomically. */
    static void writeState(String rpcUrl, Path file) throws IOException {
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(rpcUrl))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"anvil_dumpState\",\"params\":[]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevChainException("interrupted while saving the chain state", e);
        }
        String hex = new ObjectMapper().readTree(response.body()).path("result").asText("");
        if (hex.length() < 4) {
            throw new DevChainException("anvil_dumpState returned no state: " + response.body());
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(Numeric.hexStringToByteArray(hex)))) {
            AtomicFiles.write(file, AtomicFiles.READABLE, in::transferTo);
        }
    }

    private static TxSender sender(Web3j web3j, long chainId, int account) {
        return new TxSender(web3j, DevAccounts.credentials(account), chainId, Duration.ofMillis(50),
                Duration.ofSeconds(60), Duration.ofSeconds(2));
    }

    public ChainManifest manifest() {
        return manifest;
    }

    public String rpcUrl() {
        return anvil.rpcUrl();
    }

    public int port() {
        return anvil.port();
    }

    public long chainId() {
        return anvil.chainId();
    }

    /** anvil's process id (for a pid file: the lead's {@code devnet down}). */
    public long pid() {
        return anvil.pid();
    }

    public boolean isAlive() {
        return anvil.isAlive();
    }

    public Web3j web3j() {
        return anvil.web3j();
    }

    public ContractCaller caller() {
        return new ContractCaller(web3j());
    }

    public PocoHub hub() {
        return new PocoHub(manifest.hub(), caller());
    }

    /** A transaction sender for dev account {@code index} (see {@link DevAccounts}), polling every 100 ms. */
    public TxSender sender(int index) {
        return new TxSender(web3j(), DevAccounts.credentials(index), chainId(), Duration.ofMillis(100),
                Duration.ofMinutes(2), Duration.ofSeconds(2));
    }

    /** How long {@link #start} took (including a first deploy when there was one). */
    public Duration startDuration() {
        return startDuration;
    }

    /** True when this start deployed PoCo (no snapshot existed). */
    public boolean freshlyDeployed() {
        return freshlyDeployed;
    }

    @Override
    public void close() {
        anvil.close();
    }
}
