package dev.teeflow.devnet.worker;

import dev.teeflow.devnet.sms.SecretReader;
import org.web3j.crypto.Credentials;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Everything the devnet workerpool needs. Build with {@link #of} and adjust with the {@code with*} methods.
 *
 * @param rpcUrl       the chain's JSON-RPC URL (the devnet's anvil)
 * @param hub          the PoCo hub address
 * @param workerpool   the workerpool whose deals this pool runs
 * @param scheduler    the workerpool owner's key: initializes tasks and signs worker authorizations
 * @param worker       the worker's key: sends contributeAndFinalize
 * @param secrets      the SMS vault read path (dataset keys, requester/app/web2 secrets)
 * @param uploader     stores result archives ({@code StorageServer::put})
 * @param ipfsGateway  where {@code /ipfs/<id>} dataset multiaddrs are fetched from (the storage URL); may be null
 * @param dockerHost   e.g. {@code unix:///var/run/docker.sock}
 * @param dataDir      per-task work folders live under {@code <dataDir>/tasks/<taskid>}
 * @param apiPort      the loopback task API port (0 = any free port)
 * @param pollInterval how often the chain is asked for new OrdersMatched logs
 * @param fromBlock    the first block to scan; -1 = the latest block at start
 * @param log          status lines (never secrets)
 */
public record WorkerpoolConfig(String rpcUrl, String hub, String workerpool, Credentials scheduler,
                               Credentials worker, SecretReader secrets, ResultUploader uploader, URI ipfsGateway,
                               String dockerHost, Path dataDir, int apiPort, Duration pollInterval, long fromBlock,
                               Consumer<String> log) {
    public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

    public WorkerpoolConfig {
        Objects.requireNonNull(rpcUrl, "rpcUrl");
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(workerpool, "workerpool");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(uploader, "uploader");
        Objects.requireNonNull(dataDir, "dataDir");
        dockerHost = dockerHost == null || dockerHost.isBlank() ? DEFAULT_DOCKER_HOST : dockerHost;
        pollInterval = pollInterval == null ? Duration.ofMillis(300) : pollInterval;
        log = log == null ? line -> { } : log;
    }

    public static WorkerpoolConfig of(String rpcUrl, String hub, String workerpool, Credentials scheduler,
                                      Credentials worker, SecretReader secrets, ResultUploader uploader,
                                      URI ipfsGateway, Path dataDir) {
        return new WorkerpoolConfig(rpcUrl, hub, workerpool, scheduler, worker, secrets, uploader, ipfsGateway,
                DEFAULT_DOCKER_HOST, dataDir, 0, Duration.ofMillis(300), -1, null);
    }

    /**
     * The devnet's wiring: the chain's RPC and manifest (hub, workerpool), dev account 1 as scheduler and 2 as
     * worker (PUBLIC TEST KEYS), the SMS vault, and the storage server for results and /ipfs dataset URLs.
     */
    public static WorkerpoolConfig forDevnet(dev.teeflow.devnet.chain.DevChain chain, SecretReader secrets,
                                             dev.teeflow.devnet.storage.StorageServer storage, Path dataDir) {
        return of(chain.rpcUrl(), chain.manifest().hub(), chain.manifest().workerpool(),
                dev.teeflow.devnet.chain.DevAccounts.credentials(dev.teeflow.devnet.chain.DevAccounts.SCHEDULER),
                dev.teeflow.devnet.chain.DevAccounts.credentials(dev.teeflow.devnet.chain.DevAccounts.WORKER),
                secrets, storage::put, storage.url(), dataDir);
    }

    public WorkerpoolConfig withDockerHost(String host) {
        return new WorkerpoolConfig(rpcUrl, hub, workerpool, scheduler, worker, secrets, uploader, ipfsGateway,
                host, dataDir, apiPort, pollInterval, fromBlock, log);
    }

    public WorkerpoolConfig withApiPort(int port) {
        return new WorkerpoolConfig(rpcUrl, hub, workerpool, scheduler, worker, secrets, uploader, ipfsGateway,
                dockerHost, dataDir, port, pollInterval, fromBlock, log);
    }

    public WorkerpoolConfig withPollInterval(Duration interval) {
        return new WorkerpoolConfig(rpcUrl, hub, workerpool, scheduler, worker, secrets, uploader, ipfsGateway,
                dockerHost, dataDir, apiPort, interval, fromBlock, log);
    }

    public WorkerpoolConfig withFromBlock(long block) {
        return new WorkerpoolConfig(rpcUrl, hub, workerpool, scheduler, worker, secrets, uploader, ipfsGateway,
                dockerHost, dataDir, apiPort, pollInterval, block, log);
    }

    public WorkerpoolConfig withLog(Consumer<String> listener) {
        return new WorkerpoolConfig(rpcUrl, hub, workerpool, scheduler, worker, secrets, uploader, ipfsGateway,
                dockerHost, dataDir, apiPort, pollInterval, fromBlock, listener);
    }
}
