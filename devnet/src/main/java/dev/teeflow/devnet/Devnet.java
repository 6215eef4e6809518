package dev.teeflow.devnet;

import dev.teeflow.devnet.chain.ChainManifest;
import dev.teeflow.devnet.chain.DevAccounts;
import dev.teeflow.devnet.chain.DevChain;
import dev.teeflow.devnet.chain.DevChainConfig;
import dev.teeflow.devnet.git.GitHostServer;
import dev.teeflow.devnet.market.MarketServer;
import dev.teeflow.devnet.market.RpcMarketChain;
import dev.teeflow.devnet.sms.RpcOwnerLookup;
import dev.teeflow.devnet.sms.SmsServer;
import dev.teeflow.devnet.storage.StorageServer;
import dev.teeflow.protocol.devnet.DevnetInfo;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * A running devnet in this JVM: the chain (state kept in the devnet directory across restarts), the SMS, the market
 * API with the workerpool's orders, the result store, the git host, and every {@link DevnetComponent} found on the
 * class path (the workerpool). {@link #close()} stops them all, in reverse order.
 */
public final class Devnet implements AutoCloseable {
    private final DevnetConfig config;
    private final DevnetInfo info;
    private final DevChain chain;
    private final SmsServer sms;
    private final StorageServer storage;
    private final List<String> componentNames;
    private final Map<String, String> componentFailures;
    private final Deque<AutoCloseable> toClose;

    private Devnet(DevnetConfig config, DevnetInfo info, DevChain chain, SmsServer sms, StorageServer storage,
                   List<String> componentNames, Map<String, String> componentFailures, Deque<AutoCloseable> toClose) {
        this.config = config;
        this.info = info;
        this.chain = chain;
        this.sms = sms;
        this.storage = storage;
        this.componentNames = componentNames;
        this.componentFailures = componentFailures;
        this.toClose = toClose;
    }

    /** Starts everything; on any failure stops what already started and rethrows. */
    public static Devnet start(DevnetConfig config, Consumer<String> log) {
        config.ports().requireFree();
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            Files.createDirectories(config.logDir());
            Files.createDirectories(config.dataDir());
            DevnetPorts ports = config.ports();
            long t0 = System.nanoTime();
            DevChain chain = DevChain.start(new DevChainConfig(ports.rpc(), config.chainId(), config.cacheDir(),
                    config.chainStateFile(), config.logDir().resolve("anvil.log"), log));
            started.push(chain);
            log.accept("chain up in " + ms(t0) + " ms (anvil pid " + chain.pid() + ", " + chain.rpcUrl() + ")");
            ChainManifest m = chain.manifest();

            RpcOwnerLookup owners = new RpcOwnerLookup(chain.rpcUrl());
            started.push(owners);
            SmsServer sms = SmsServer.start(config.dataDir().resolve("sms"), ports.sms(), owners);
            started.push(sms);
            RpcMarketChain marketChain = new RpcMarketChain(chain.rpcUrl(), m.hub());
            started.push(marketChain);
            MarketServer market = MarketServer.start(ports.market(), config.chainId(), m.hub(), marketChain);
            started.push(market);
            StorageServer storage = StorageServer.start(config.dataDir().resolve("storage"), ports.storage());
            started.push(storage);
            GitHostServer git = GitHostServer.start(config.dataDir().resolve("git"), ports.git());
            started.push(git);
            log.accept("SMS " + sms.url() + ", market API " + market.url() + ", storage " + storage.url()
                    + ", git host " + git.url());

            List<String> hashes = WorkerpoolOrders.publish(market.url(), config.chainId(), m.hub(), m.workerpool());
            log.accept("published " + hashes.size() + " workerpool orders " + WorkerpoolOrders.TAGS
                    + " for " + m.workerpool());

            DevnetInfo info = new DevnetInfo(config.name(), config.chainId(), chain.rpcUrl(), m.hub(),
                    m.appRegistry(), m.datasetRegistry(), m.workerpoolRegistry(), m.rlc(), noSlash(sms.url()),
                    noSlash(market.url()), noSlash(storage.url()), noSlash(git.url()), m.workerpool(),
                    "http://127.0.0.1:" + ports.workerpoolApi(), "http://127.0.0.1:" + ports.workerpoolApi(),
                    DevnetInfo.DEFAULT_TEE_FRAMEWORK, accounts());

            List<String> names = new ArrayList<>();
            java.util.Map<String, String> failures = new java.util.LinkedHashMap<>();
            for (DevnetComponent component : ServiceLoader.load(DevnetComponent.class)) {
                Path dataDir = config.dataDir().resolve(component.name());
                Files.createDirectories(dataDir);
                long tc = System.nanoTime();
                started.push(component);
                try {
                    component.start(new DevnetContext(info, dataDir, config.logDir(), chain, sms.secrets(), storage,
                            line -> log.accept(component.name() + ": " + line)));
                    names.add(component.name());
                    log.accept(component.name() + " up in " + ms(tc) + " ms");
                } catch (Exception e) {
                    // the chain and services stay useful without it (deploy, secrets, orders): report, go on
                    failures.put(component.name(), String.valueOf(e.getMessage()));
                    log.accept(component.name() + " FAILED to start, the devnet runs without it: " + e.getMessage());
                    started.remove(component);
                    component.close();
                }
            }
            if (!names.contains(DevnetComponent.WORKERPOOL) && !failures.containsKey(DevnetComponent.WORKERPOOL)) {
                log.accept("no workerpool component on the class path: orders are published but no task will run");
            }
            return new Devnet(config, info, chain, sms, storage, List.copyOf(names), Map.copyOf(failures), started);
        } catch (Exception e) {
            closeAll(started, log);
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new DevnetException("the devnet could not start: " + e.getMessage(), e);
        }
    }

    static List<DevnetInfo.Account> accounts() {
        String[] roles = {"deployer", "workerpool-owner", "worker", "user"};
        List<DevnetInfo.Account> out = new ArrayList<>();
        for (int i = 0; i < DevAccounts.count(); i++) {
            out.add(new DevnetInfo.Account(DevAccounts.address(i), DevAccounts.publicTestKey(i),
                    i < roles.length ? roles[i] : "spare"));
        }
        return out;
    }

    public DevnetInfo info() {
        return info;
    }

    public DevnetConfig config() {
        return config;
    }

    public DevChain chain() {
        return chain;
    }

    public SmsServer sms() {
        return sms;
    }

    public StorageServer storage() {
        return storage;
    }

    /** The names of the plugged-in components that started (e.g. "workerpool"). */
    public List<String> components() {
        return componentNames;
    }

    /** Components found on the class path that failed to start: name to the reason. */
    public Map<String, String> componentFailures() {
        return componentFailures;
    }

    /** Whether a component with this name is on the class path (started or not). */
    public static boolean componentInstalled(String name) {
        return ServiceLoader.load(DevnetComponent.class).stream().anyMatch(p -> p.get().name().equals(name));
    }

    @Override
    public void close() {
        closeAll(toClose, line -> { });
    }

    private static void closeAll(Deque<AutoCloseable> started, Consumer<String> log) {
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.accept("while stopping " + c.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    private static String noSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

}
