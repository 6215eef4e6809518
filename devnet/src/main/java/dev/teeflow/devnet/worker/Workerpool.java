package dev.teeflow.devnet.worker;

import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The devnet workerpool: a scheduler that watches the hub for deals on its workerpool and a worker that
 * runs their tasks, with the TEE side SIMULATED (no enclave: the app runs in a plain Docker container and a
 * random in-memory key plays the enclave's challenge key).
 *
 * <pre>{@code
 * Workerpool pool = new Workerpool(WorkerpoolConfig.of(rpcUrl, hub, workerpoolAddress,
 *         DevAccounts.credentials(DevAccounts.SCHEDULER), DevAccounts.credentials(DevAccounts.WORKER),
 *         sms.secrets(), storage::put, storage.url(), dataDir).withApiPort(port)).start();
 * pool.apiUrl();   // -> devnet.json "workerpoolApi"
 * pool.close();    // stops both threads, the task API, and removes its containers
 * }</pre>
 * One thread polls {@code eth_getLogs} for OrdersMatched every {@code pollInterval}; one worker thread runs
 * tasks one at a time, in the order their deals were seen.
 */
public final class Workerpool implements AutoCloseable {
    private final WorkerpoolConfig config;
    private final TaskBoard board = new TaskBoard();
    private final Set<String> seenDeals = ConcurrentHashMap.newKeySet();
    private PoolChain chain;
    private AppContainers docker;
    private TaskApiServer api;
    private ScheduledExecutorService watcher;
    private ExecutorService worker;
    private TaskRunner runner;
    private final AtomicInteger queuedTasks = new AtomicInteger();
    private long nextBlock;
    private volatile boolean closed;

    public Workerpool(WorkerpoolConfig config) {
        this.config = config;
    }

    /** Connects to the chain and Docker, opens the task API and starts watching. Fails fast with a clear message. */
    public synchronized Workerpool start() {
        if (chain != null) {
            throw new IllegalStateException("the devnet workerpool is already started");
        }
        try {
            Files.createDirectories(config.dataDir().resolve("tasks"));
            chain = new PoolChain(config);
            String owner = new dev.teeflow.protocol.chain.ContractCaller(chain.scheduler().web3j())
                    .owner(config.workerpool());
            if (!owner.equalsIgnoreCase(chain.scheduler().address())) {
                throw new IllegalStateException("workerpool " + config.workerpool() + " is owned by " + owner
                        + ", not by the scheduler key " + chain.scheduler().address()
                        + ": its authorizations would be refused");
            }
            docker = new AppContainers(config.dockerHost(), config.workerpool().toLowerCase(java.util.Locale.ROOT));
            docker.ping();
            docker.removeAll(); // leftovers of a killed run
            api = new TaskApiServer(config.apiPort(), board, chain, config.workerpool());
            runner = new TaskRunner(config, chain, docker, new SimulatedEnclave(), board);
            nextBlock = config.fromBlock() >= 0 ? config.fromBlock() : chain.latestBlock();
            worker = Executors.newSingleThreadExecutor(named("devnet-workerpool-worker"));
            watcher = Executors.newSingleThreadScheduledExecutor(named("devnet-workerpool-scheduler"));
            watcher.scheduleWithFixedDelay(this::poll, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
            log("started (simulated TEE) for workerpool " + config.workerpool() + ": scheduler "
                    + chain.scheduler().address() + ", worker " + chain.worker().address() + ", task API " + api.url()
                    + ", watching from block " + nextBlock);
            return this;
        } catch (Exception e) {
            close();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot start the devnet workerpool: " + e.getMessage(), e);
        }
    }

    /** The task API base URL, e.g. {@code http://127.0.0.1:port} (devnet.json "workerpoolApi"). */
    public URI apiUrl() {
        if (api == null) {
            throw new IllegalStateException("the devnet workerpool is not started");
        }
        return api.url();
    }

    /** What the task API would answer for this task. */
    public Optional<TaskReport> task(String taskId) {
        return board.get(taskId);
    }

    public List<TaskReport> tasks() {
        return board.all();
    }

    private void poll() {
        if (closed) {
            return;
        }
        try {
            long latest = chain.latestBlock();
            if (latest >= nextBlock) {
                List<String> deals = chain.matchedDeals(nextBlock, latest);
                nextBlock = latest + 1;
                for (String dealId : deals) {
                    if (seenDeals.add(dealId)) {
                        schedule(dealId);
                    }
                }
            }
            // Time travel only when the worker is idle: it would push queued tasks past their deadlines.
            if (queuedTasks.get() == 0 && runner.hasPendingClaims()) {
                runner.claimPending();
            }
        } catch (RuntimeException e) {
            if (!closed) {
                log("cannot read the chain (will retry): " + e.getMessage());
            }
        }
    }

    private void schedule(String dealId) {
        var deal = chain.hub().viewDeal(dealId);
        if (!deal.workerpool().pointer().equalsIgnoreCase(config.workerpool())) {
            return; // another workerpool's deal
        }
        long first = deal.botFirst().longValueExact();
        long size = deal.botSize().longValueExact();
        log("scheduler saw deal " + dealId + " (" + size + " task" + (size == 1 ? "" : "s") + ", app "
                + deal.app().pointer() + ")");
        for (long i = first; i < first + size; i++) {
            long index = i;
            queuedTasks.incrementAndGet();
            worker.submit(() -> {
                try {
                    if (!closed) {
                        runner.run(dealId, index);
                    }
                } catch (RuntimeException e) {
                    log("task " + index + " of deal " + dealId + " could not be handled: " + e.getMessage());
                } finally {
                    queuedTasks.decrementAndGet();
                }
            });
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (watcher != null) {
            watcher.shutdownNow();
            await(watcher);
        }
        if (worker != null) {
            worker.shutdownNow();
            if (docker != null) {
                docker.removeAll(); // unblocks a worker waiting on its container
            }
            await(worker);
        }
        if (api != null) {
            api.close();
        }
        if (docker != null) {
            docker.close();
        }
        if (chain != null) {
            chain.close();
        }
        log("stopped");
    }

    private static void await(ExecutorService pool) {
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a devnet workerpool thread did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void log(String line) {
        config.log().accept("workerpool: " + line);
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
