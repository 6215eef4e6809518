package dev.teeflow.devnet.chain;

import dev.teeflow.protocol.chain.AppRegistry;
import dev.teeflow.protocol.chain.AppSpec;
import dev.teeflow.protocol.chain.Category;
import dev.teeflow.protocol.chain.DatasetRegistry;
import dev.teeflow.protocol.chain.DatasetSpec;
import dev.teeflow.protocol.chain.Deal;
import dev.teeflow.protocol.chain.Deployment;
import dev.teeflow.protocol.chain.Eip712Domain;
import dev.teeflow.protocol.chain.PocoHub;
import dev.teeflow.protocol.chain.Task;
import dev.teeflow.protocol.chain.TaskStatus;
import dev.teeflow.protocol.chain.TxDroppedException;
import dev.teeflow.protocol.chain.TxSender;
import dev.teeflow.protocol.chain.WalletLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Against a real anvil with the real PoCo: the installer fetches the pinned npm packages into the
 * teeflow cache on first use; the deploy snapshot goes into a per-test-class cache so the first deploy
 * is exercised every run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevChainTest {
    private static final String CHECKSUM = "0x" + "ab".repeat(32);

    @TempDir
    static Path temp;
    private DevChainConfig config;
    private DevChain chain;
    private final List<String> progress = new ArrayList<>();

    @BeforeAll
    void deployOnce() throws IOException {
        Path sharedNpm = Files.createDirectories(CacheDir.resolve().resolve("npm"));
        Path cache = Files.createDirectories(temp.resolve("cache"));
        Files.createSymbolicLink(cache.resolve("npm"), sharedNpm);
        config = DevChainConfig.defaults().withCacheDir(cache).withPort(0)
                .withLogFile(temp.resolve("anvil.log")).withProgress(line -> {
                    synchronized (progress) {
                        progress.add(line);
                    }
                });
        chain = DevChain.start(config);
        System.out.println("MEASURED first start with PoCo deploy: " + chain.startDuration().toMillis() + " ms");
        progress.stream().filter(l -> l.contains(" ms")).forEach(l -> System.out.println("MEASURED " + l));
    }

    @AfterAll
    void stop() {
        if (chain != null) {
            chain.close();
        }
    }

    @Test
    void firstStartDeploysPocoAndWritesTheManifest() {
        assertThat(chain.freshlyDeployed()).isTrue();
        assertThat(progress).anyMatch(l -> l.startsWith("first start: deploying PoCo 6.1.0"));
        ChainManifest manifest = ChainManifest.read(DevChain.snapshotDir(config, "1.7.1").resolve("manifest.json"));
        assertThat(manifest).isEqualTo(chain.manifest());
        assertThat(manifest.chainId()).isEqualTo(134134L);
        assertThat(manifest.deployer()).isEqualTo(DevAccounts.address(0));
        assertThat(manifest.workerpoolOwner()).isEqualTo(DevAccounts.address(1));
        assertThat(Files.exists(DevChain.snapshotDir(config, "1.7.1").resolve("state.json"))).isTrue();
    }

    @Test
    void hubIsConfiguredLikePoco() {
        PocoHub hub = chain.hub();
        Eip712Domain domain = hub.domain();
        assertThat(domain).isEqualTo(new Eip712Domain("iExecODB", "5.0.0", 134134L, chain.manifest().hub()));
        assertThat(hub.token()).isEqualTo(chain.manifest().rlc());
        assertThat(hub.appRegistry().address()).isEqualTo(chain.manifest().appRegistry());
        assertThat(hub.datasetRegistry().address()).isEqualTo(chain.manifest().datasetRegistry());
        assertThat(hub.workerpoolRegistry().address()).isEqualTo(chain.manifest().workerpoolRegistry());
        assertThat(hub.countCategory()).isEqualTo(5);
        assertThat(hub.viewCategory(0)).isEqualTo(new Category("XS", "\"\"", 300));
        assertThat(hub.viewCategory(4).workClockTimeRef()).isEqualTo(36000);
        assertThat(chain.caller().owner(hub.address())).isEqualTo(DevAccounts.address(0));
    }

    @Test
    void workerpoolIsRegisteredAndOwnedByTheScheduler() {
        String pool = chain.manifest().workerpool();
        assertThat(chain.hub().workerpoolRegistry().isRegistered(pool)).isTrue();
        assertThat(chain.caller().owner(pool)).isEqualTo(DevAccounts.address(DevAccounts.SCHEDULER));
    }

    @Test
    void devAccountsHoldRlcAndCanDeposit() {
        PocoHub hub = chain.hub();
        String user = DevAccounts.address(5);
        assertThat(hub.rlc().balanceOf(user)).isEqualTo(PocoDeployer.RLC_PER_ACCOUNT);
        BigInteger amount = BigInteger.valueOf(100_000_000_000L);
        hub.deposit(amount, chain.sender(5), hash -> { });
        assertThat(hub.viewAccount(user).stake()).isEqualTo(amount);
        assertThat(hub.viewAccount(user).locked()).isZero();
        assertThat(hub.balanceOf(user)).isEqualTo(amount);
        assertThat(hub.rlc().balanceOf(user)).isEqualTo(PocoDeployer.RLC_PER_ACCOUNT.subtract(amount));
    }

    @Test
    void secondAppDeployIsSkippedByPredictAndIsRegistered() {
        TxSender user = chain.sender(DevAccounts.USER);
        AppRegistry apps = chain.hub().appRegistry();
        AppSpec spec = AppSpec.docker(user.address(), "hello", "registry.local/hello:1.0", CHECKSUM, new byte[0]);
        String predicted = apps.predictApp(spec);
        assertThat(apps.isRegistered(predicted)).isFalse();

        long before = user.minedTransactionCount();
        Deployment first = apps.ensureApp(spec, user, hash -> { });
        long afterFirst = user.minedTransactionCount();
        Deployment second = apps.ensureApp(spec, user, hash -> { });

        assertThat(first.created()).isTrue();
        assertThat(first.address()).isEqualTo(predicted);
        assertThat(apps.isRegistered(predicted)).isTrue();
        assertThat(chain.caller().owner(predicted)).isEqualToIgnoringCase(user.address());
        assertThat(second).isEqualTo(new Deployment(predicted, null));
        assertThat(afterFirst).isEqualTo(before + 1);
        assertThat(user.minedTransactionCount()).isEqualTo(afterFirst);
    }

    @Test
    void aChangedDatasetChecksumPredictsANewAddress() {
        DatasetRegistry datasets = chain.hub().datasetRegistry();
        DatasetSpec a = new DatasetSpec(DevAccounts.address(6), "emails", "https://git.local/raw/emails.enc", CHECKSUM);
        DatasetSpec b = new DatasetSpec(a.owner(), a.name(), a.multiaddr(), "0x" + "cd".repeat(32));
        Deployment first = datasets.ensureDataset(a, chain.sender(6), h -> { });
        assertThat(datasets.predictDataset(b)).isNotEqualTo(first.address());
        assertThat(datasets.isRegistered(datasets.predictDataset(b))).isFalse();
    }

    @Test
    void parallelStepsShareOneWalletWithoutNonceClashes() throws Exception {
        TxSender wallet = chain.sender(7);
        DatasetRegistry datasets = chain.hub().datasetRegistry();
        long before = wallet.minedTransactionCount();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Deployment>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                DatasetSpec spec = new DatasetSpec(wallet.address(), "part-" + i, "/ipfs/QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG", CHECKSUM);
                results.add(pool.submit(() -> datasets.ensureDataset(spec, wallet, h -> { })));
            }
            for (Future<Deployment> result : results) {
                assertThat(result.get().created()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(wallet.minedTransactionCount()).isEqualTo(before + 6);
    }

    /**
     * Two project folders with one wallet = two processes, each with its own sender and nonce count. Taking
     * turns used to fail at once: B sends the nonce A counted on next ("nonce too low").
     */
    @Test
    void twoSendersOfOneWalletInTwoProcessesTakeTurnsThroughTheWalletLock() throws Exception {
        WalletLock lock = WalletLock.under(temp.resolve("teeflow-home"), chain.chainId(), DevAccounts.address(7));
        TxSender first = chain.sender(7).withWalletLock(lock);
        TxSender second = chain.sender(7).withWalletLock(lock);
        DatasetRegistry datasets = chain.hub().datasetRegistry();
        long before = first.minedTransactionCount();
        int n = 0;
        for (TxSender sender : List.of(first, second, first, second, first)) {
            DatasetSpec spec = new DatasetSpec(sender.address(), "turns-" + n++, "/ipfs/QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG", CHECKSUM);
            assertThat(datasets.ensureDataset(spec, sender, h -> { }).created()).isTrue();
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Deployment>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                TxSender sender = i % 2 == 0 ? first : second;
                DatasetSpec spec = new DatasetSpec(sender.address(), "together-" + i, "/ipfs/QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG", CHECKSUM);
                results.add(pool.submit(() -> datasets.ensureDataset(spec, sender, h -> { })));
            }
            for (Future<Deployment> result : results) {
                assertThat(result.get().created()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(first.minedTransactionCount()).isEqualTo(before + 11);
        assertThat(lock.file()).exists().hasParent(temp.resolve("teeflow-home/wallets"));
    }

    @Test
    void resumingARecordedTxHashSendsNothingNew() {
        DatasetRegistry datasets = chain.hub().datasetRegistry();
        DatasetSpec spec = new DatasetSpec(DevAccounts.address(8), "resume", "https://x.local/d.enc", CHECKSUM);
        AtomicReference<String> recorded = new AtomicReference<>();
        long beforeBroadcast = chain.sender(8).minedTransactionCount();
        String hash = chain.sender(8).broadcast(datasets.address(), BigInteger.ZERO,
                datasets.createDatasetCall(spec), recorded::set);
        assertThat(recorded.get()).isEqualTo(hash); // the hook saw the hash before the broadcast returned

        TxSender afterCrash = chain.sender(8); // a new process: new sender, same wallet
        TransactionReceipt receipt = afterCrash.resume(hash);
        assertThat(receipt.getTransactionHash()).isEqualTo(hash);
        assertThat(datasets.isRegistered(datasets.predictDataset(spec))).isTrue();
        // Counted from before the broadcast: the recorded transaction may be mined at any moment after it,
        // so only "exactly one transaction in all" proves the resume sent nothing of its own.
        assertThat(afterCrash.minedTransactionCount()).isEqualTo(beforeBroadcast + 1);
    }

    @Test
    void aHashRecordedButNeverBroadcastIsReportedAsDropped() {
        DatasetRegistry datasets = chain.hub().datasetRegistry();
        DatasetSpec spec = new DatasetSpec(DevAccounts.address(9), "crash", "https://x.local/c.enc", CHECKSUM);
        TxSender wallet = chain.sender(9);
        AtomicReference<String> recorded = new AtomicReference<>();
        long before = wallet.minedTransactionCount();
        assertThatThrownBy(() -> wallet.broadcast(datasets.address(), BigInteger.ZERO, datasets.createDatasetCall(spec),
                hash -> {
                    recorded.set(hash);
                    throw new IllegalStateException("simulated crash after recording");
                })).hasMessageContaining("simulated crash");

        assertThatThrownBy(() -> chain.sender(9).resume(recorded.get()))
                .isInstanceOf(TxDroppedException.class).hasMessageContaining(recorded.get());
        assertThat(wallet.minedTransactionCount()).isEqualTo(before);
        assertThat(datasets.isRegistered(datasets.predictDataset(spec))).isFalse();
    }

    @Test
    void aDeployResumedWhileItsTxIsStillPendingWaitsForItAndSendsNoSecond() throws Exception {
        try (DevChain manual = DevChain.start(config)) {
            rpc(manual, "evm_setAutomine", "false"); // transactions now stay pending until evm_mine
            DatasetRegistry datasets = manual.hub().datasetRegistry();
            DatasetSpec spec = new DatasetSpec(DevAccounts.address(3), "pending", "https://x.local/p.enc", CHECKSUM);
            TxSender crashed = manual.sender(3);
            long before = crashed.minedTransactionCount();
            AtomicReference<String> recorded = new AtomicReference<>();
            crashed.broadcast(datasets.address(), BigInteger.ZERO, datasets.createDatasetCall(spec), recorded::set);
            // "crash": the sender is dropped without waiting; a new run resumes with the recorded hash.
            Thread miner = new Thread(() -> {
                try {
                    Thread.sleep(500);
                    rpc(manual, "evm_mine", "");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            miner.start();
            Deployment resumed = datasets.ensureDataset(spec, manual.sender(3), h -> {
                throw new AssertionError("a resumed deploy must not sign a new transaction");
            }, recorded.get());
            miner.join();

            assertThat(resumed).isEqualTo(new Deployment(datasets.predictDataset(spec), recorded.get()));
            assertThat(manual.sender(3).minedTransactionCount()).isEqualTo(before + 1);
        }
    }

    @Test
    void aDeployWhoseRecordedTxNeverLeftTheMachineIsSentOnce() {
        DatasetRegistry datasets = chain.hub().datasetRegistry();
        DatasetSpec spec = new DatasetSpec(DevAccounts.address(9), "never-sent", "https://x.local/n.enc", CHECKSUM);
        AtomicReference<String> recorded = new AtomicReference<>();
        assertThatThrownBy(() -> datasets.ensureDataset(spec, chain.sender(9), hash -> {
            recorded.set(hash);
            throw new IllegalStateException("simulated crash after recording");
        })).hasMessageContaining("simulated crash");
        long before = chain.sender(9).minedTransactionCount();

        Deployment deployment = datasets.ensureDataset(spec, chain.sender(9), h -> { }, recorded.get());

        assertThat(deployment.created()).isTrue();
        assertThat(datasets.isRegistered(deployment.address())).isTrue();
        // Same nonce, calldata and fees with deterministic (RFC 6979) signatures: often the very same hash.
        assertThat(chain.sender(9).minedTransactionCount()).isEqualTo(before + 1);
    }

    private static void rpc(DevChain chain, String method, String params) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(chain.rpcUrl()))
                        .header("content-type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\""
                                + method + "\",\"params\":[" + params + "]}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).as(method).doesNotContain("\"error\"");
    }

    @Test
    void unknownDealAndTaskReadAsEmpty() {
        Deal deal = chain.hub().viewDeal("0x" + "11".repeat(32));
        assertThat(deal.isEmpty()).isTrue();
        Task task = chain.hub().viewTask(PocoHub.taskId("0x" + "11".repeat(32), 0));
        assertThat(task.status()).isEqualTo(TaskStatus.UNSET);
        assertThat(task.contributors()).isEmpty();
        assertThat(task.results()).isEmpty();
    }

    @Test
    void aRestartFromTheSnapshotIsFastAndKeepsTheAddresses() {
        try (DevChain again = DevChain.start(config)) {
            System.out.println("MEASURED start from snapshot: " + again.startDuration().toMillis() + " ms");
            assertThat(again.freshlyDeployed()).isFalse();
            assertThat(again.manifest()).isEqualTo(chain.manifest());
            assertThat(again.hub().domain().verifyingContract()).isEqualTo(chain.manifest().hub());
            assertThat(again.hub().workerpoolRegistry().isRegistered(again.manifest().workerpool())).isTrue();
            assertThat(again.startDuration().toMillis()).isLessThan(1500);
        }
    }

    @Test
    void aStateFileKeepsDeployedAssetsAcrossRestarts() {
        DevChainConfig persistent = config.withStateFile(temp.resolve("devnet-state.json"));
        AppSpec spec = AppSpec.docker(DevAccounts.address(4), "kept", "registry.local/kept:1", CHECKSUM, new byte[0]);
        String app;
        try (DevChain first = DevChain.start(persistent)) {
            app = first.hub().appRegistry().ensureApp(spec, first.sender(4), h -> { }).address();
        }
        assertThat(temp.resolve("devnet-state.json")).exists();
        try (DevChain second = DevChain.start(persistent)) {
            assertThat(second.hub().appRegistry().isRegistered(app)).isTrue();
        }
    }

    @Test
    void aBusyPortIsAClearError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> DevChain.start(config.withPort(taken.getLocalPort())))
                    .isInstanceOf(DevChainException.class)
                    .hasMessageContaining("chain port " + taken.getLocalPort())
                    .hasMessageContaining("already in use");
        }
    }

    @Test
    void aStoppedDevnetsPortCanBeReusedAtOnce() throws IOException {
        int port = dev.teeflow.devnet.net.LocalPorts.freeBlock(1);
        for (int round = 0; round < 2; round++) {
            try (DevChain onPort = DevChain.start(config.withPort(port))) {
                assertThat(onPort.rpcUrl()).isEqualTo("http://127.0.0.1:" + port);
                assertThat(onPort.hub().countCategory()).isEqualTo(5);
            }
        }
    }

    @Test
    void stoppingLeavesNoProcessBehind() {
        DevChain extra = DevChain.start(config);
        long pid = extra.pid();
        extra.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
