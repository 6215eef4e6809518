package dev.teeflow.actions.order;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.actions.deploy.ChainAccess;
import dev.teeflow.actions.deploy.TxSettings;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.Retirable;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.protocol.chain.ChainException;
import dev.teeflow.protocol.order.MarketClient;
import dev.teeflow.protocol.order.MarketException;
import dev.teeflow.protocol.order.OrderJson;
import dev.teeflow.protocol.order.OrderKind;
import dev.teeflow.protocol.order.OrderSigner;
import dev.teeflow.protocol.order.Orderbook;
import dev.teeflow.protocol.order.PocoOrder;
import dev.teeflow.protocol.order.PublishedOrder;
import dev.teeflow.protocol.sign.Eip712Domain;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code order.publish}: an app, dataset or workerpool order, EIP-712 signed in the hub's domain and
 * published to the chain's market API. Up to date while the published order is still open with volume
 * left; when the step runs, an identical open order of this wallet (same terms, any salt) is reused
 * instead of publishing a duplicate, and an order this step published before with other terms is
 * revoked, closed on chain and withdrawn from the market, before the new one is published (unless
 * {@code unpublish-replaced: false}). {@code revoke: true} closes the recorded order and publishes none; a step
 * removed from the file is revoked by the engine through {@link Retirable}.
 *
 * <p>Inputs: {@code kind} (app, dataset, workerpool), {@code resource} (its address), {@code price}
 * (nRLC, default 0), {@code volume} (default 1000000 for app and dataset orders, 1 for workerpools),
 * {@code tag} (names or bytes32; an app order without one takes it from {@code framework}),
 * {@code app-restrict}, {@code dataset-restrict}, {@code workerpool-restrict}, {@code requester-restrict},
 * {@code category} and {@code trust} (workerpool), {@code unpublish-replaced}, {@code revoke}, {@code chain}, {@code wallet}.
 *
 * <p>Outputs: {@code hash} (the order hash), {@code order} (the signed order as the iExec SDK writes it,
 * uint256 values as decimal strings, for a later matchOrders without a market round-trip), {@code kind},
 * {@code resource}, {@code signer}, {@code market}, {@code status} (published, reused, revoked), {@code retire-with}
 * (the chain and wallet inputs, secrets as references, to revoke the order once the block is gone).
 */
public final class OrderPublishStep implements StepType, Retirable {
    public static final String ID = "order.publish";
    static final Set<String> OUTPUTS = Set.of("hash", "order", "kind", "resource", "signer", "market", "status",
            RETIRE_WITH);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TxSettings settings;

    public OrderPublishStep() {
        this(TxSettings.DEFAULT);
    }

    public OrderPublishStep(TxSettings settings) {
        this.settings = settings;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Effect effect() {
        return Effect.EXTERNAL;
    }

    @Override
    public Set<String> outputNames(StepSpec spec) {
        return new LinkedHashSet<>(OUTPUTS);
    }

    @Override
    public void validate(StepSpec spec, Problems problems) {
        for (String key : List.of("kind", "resource")) {
            if (spec.inputs().get(key) == null) {
                problems.error(spec.location(), spec.address() + "." + key, "missing input '" + key + "'");
            }
        }
        if (spec.inputs().get("kind") instanceof String k && !OrderInputs.KINDS.contains(k)) {
            problems.error(spec.location(), spec.address() + ".kind", "expected one of " + OrderInputs.KINDS + ", found '" + k + "'");
        }
        for (String key : List.of("chain", "wallet")) {
            if (!(spec.inputs().get(key) instanceof Map)) {
                problems.error(spec.location(), spec.address() + "." + key,
                        dev.teeflow.actions.chain.Targets.genericForm(key));
            }
        }
    }

    @Override
    public List<InputFile> inputFiles(Inputs inputs) {
        return ChainAccess.inputFiles(inputs);
    }

    /** Orders are signed and posted to the market API (unpublishing too): no transaction, no gas. */
    @Override
    public dev.teeflow.engine.spi.StepCost cost(StepContext ctx, Map<String, dev.teeflow.engine.spi.PendingInput> pending) {
        return dev.teeflow.engine.spi.StepCost.of(null, List.of());
    }

    @Override
    public String preview(StepContext ctx) {
        if (ctx.inputs().bool("revoke", false)) {
            return ctx.previousOutputs().map(OrderPublishStep::revokePreview)
                    .orElse("revoke: true, and no order was published: nothing to revoke, nothing published");
        }
        PocoOrder order = OrderInputs.build(ctx.inputs());
        String replaced = !ctx.inputs().bool("unpublish-replaced", true) ? ""
                : ctx.previousOutputs().flatMap(OrderPublishStep::recordedOrder)
                        .filter(old -> !OrderInputs.sameTerms(old, order))
                        .map(old -> "; then " + revokePreview(ctx.previousOutputs().get()).replaceFirst("^will ", "")).orElse("");
        return "will publish a " + order.kind().apiName() + " for " + order.address() + " (price "
                + order.values().get(order.kind().apiName().replace("order", "") + "price") + " nRLC, volume " + order.volume()
                + ", tag " + dev.teeflow.protocol.order.Tags.names(order.tag()) + ")" + replaced;
    }

    @Override
    public Outputs run(StepContext ctx) {
        Inputs in = ctx.inputs();
        if (in.bool("revoke", false)) {
            return revokeInstead(ctx);
        }
        PocoOrder wanted = OrderInputs.build(in);
        ChainAccess access = ChainAccess.of(ctx, settings);
        MarketClient market = market(ctx, access);
        String signer = access.wallet().address();
        try {
            String owner = access.caller().owner(wanted.address());
            if (!owner.equalsIgnoreCase(signer)) {
                throw new TeeflowException(ctx.address() + ": " + wanted.kind().addressField() + " " + wanted.address()
                        + " belongs to " + owner + ", but the wallet is " + access.wallet().describe()
                        + "; only the owner can sign its orders");
            }
            Eip712Domain domain = domain(access);
            Optional<PublishedOrder> live = findLive(ctx, market, wanted, signer);
            String status;
            PocoOrder signed;
            String hash;
            if (live.isPresent()) {
                signed = live.get().order();
                hash = live.get().orderHash();
                status = "reused";
                ctx.log().info("an identical " + wanted.kind().apiName() + " " + hash + " is open in the market ("
                        + live.get().remaining() + " left); not publishing another");
                revokeReplaced(ctx, market, access, wanted, hash);
            } else {
                // What the file no longer grants goes before the new terms are on offer: a crash in between
                // leaves no order open (the next apply publishes), never both.
                revokeReplaced(ctx, market, access, wanted, null);
                signed = OrderSigner.sign(wanted, domain, access.wallet().keyPair());
                hash = OrderSigner.hash(signed, domain);
                ctx.recordIntent(Map.of("hash", hash, "kind", wanted.kind().apiName()));
                PocoOrder toPublish = signed;
                String published = loggedIn(ctx, access, () -> market.publish(toPublish, access.wallet().keyPair()));
                if (!published.equalsIgnoreCase(hash)) {
                    throw new TeeflowException(ctx.address() + ": the market API at " + access.chain().market()
                            + " answered order hash " + published + " for an order whose hash is " + hash
                            + "; is it a market of chain " + access.chain().chainId() + " with hub " + access.chain().hub() + "?");
                }
                status = "published";
                ctx.log().info("published " + wanted.kind().apiName() + " " + hash + " to " + access.chain().market());
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("hash", hash);
            out.put("order", JSON.convertValue(OrderJson.toJson(signed), Map.class));
            out.put("kind", wanted.kind().apiName());
            out.put("resource", wanted.address());
            out.put("signer", signer);
            out.put("market", access.chain().market());
            out.put("status", status);
            out.put(RETIRE_WITH, retireWith(in));
            return Outputs.of(out);
        } catch (MarketException e) {
            throw new TeeflowException(ctx.address() + ": " + e.getMessage(), e);
        } catch (ChainException e) {
            throw new TeeflowException(ctx.address() + ": " + e.getMessage(), e);
        }
    }

    /** The hub's own EIP-712 domain (read from the chain, so a hub with another name or version still verifies). */
    private static Eip712Domain domain(ChainAccess access) {
        var d = access.hub().domain();
        return new Eip712Domain(d.name(), d.version(), d.chainId(), d.verifyingContract());
    }

    /**
     * An open order of this signer with the same terms: the one recorded by the last run or an interrupted
     * one, else one found in the resource's orderbook (state lost, or published by hand with the same terms).
     */
    private Optional<PublishedOrder> findLive(StepContext ctx, MarketClient market, PocoOrder wanted, String signer) {
        List<String> known = new ArrayList<>();
        ctx.intent().map(i -> i.get("hash")).ifPresent(h -> known.add(h.toString()));
        ctx.previousOutputs().flatMap(o -> o.string("hash")).ifPresent(known::add);
        for (String hash : known) {
            Optional<PublishedOrder> found = market.find(wanted.kind(), hash)
                    .filter(p -> p.isOpen() && OrderInputs.sameTerms(p.order(), wanted) && p.signer().equalsIgnoreCase(signer));
            if (found.isPresent()) {
                return found;
            }
        }
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put(wanted.kind().addressField(), wanted.address());
        for (String other : List.of("app", "dataset", "workerpool", "requester")) {
            if (!other.equals(wanted.kind().addressField())) {
                filters.put(other, "any");
            }
        }
        filters.put("pageSize", 100);
        for (int page = 0; page < 20; page++) {
            filters.put("pageIndex", page);
            Orderbook book = market.orderbook(wanted.kind(), filters);
            Optional<PublishedOrder> same = book.orders().stream()
                    .filter(p -> p.isOpen() && p.signer().equalsIgnoreCase(signer) && OrderInputs.sameTerms(p.order(), wanted))
                    .findFirst();
            if (same.isPresent() || book.nextPage() == null) {
                return same;
            }
        }
        return Optional.empty();
    }

    /**
     * The order this step published last time for other terms is revoked (closed on chain, withdrawn from the
     * market), so only the new terms are on offer. {@code keep} is an order hash that must stay (the reused one).
     */
    private static void revokeReplaced(StepContext ctx, MarketClient market, ChainAccess access, PocoOrder wanted, String keep) {
        if (!ctx.inputs().bool("unpublish-replaced", true)) {
            return;
        }
        Optional<Outputs> previous = ctx.previousOutputs();
        Optional<PocoOrder> old = previous.flatMap(OrderPublishStep::recordedOrder);
        Optional<String> oldHash = previous.flatMap(o -> o.string("hash")).filter(h -> keep == null || !h.equalsIgnoreCase(keep));
        if (old.isEmpty() || oldHash.isEmpty() || "revoked".equals(previous.get().string("status").orElse(""))
                || keep == null && OrderInputs.sameTerms(old.get(), wanted)) {
            return;
        }
        boolean sameSigner = previous.flatMap(o -> o.string("signer")).map(access.wallet().address()::equalsIgnoreCase).orElse(false);
        if (!sameSigner) {
            ctx.log().warn("the replaced " + old.get().kind().apiName() + " " + oldHash.get() + " was signed by another wallet ("
                    + previous.flatMap(o -> o.string("signer")).orElse("unknown") + "); it stays open: revoke it with that wallet");
            return;
        }
        new OrderRevoker(ctx, access, market).revoke(old.get(), oldHash.get(), Map.of("replaced-by-terms", true));
        ctx.log().info("revoked the replaced " + old.get().kind().apiName() + " " + oldHash.get() + " ("
                + OrderRevoker.allowed(old.get()) + ")");
    }

    /** {@code revoke: true}: close the recorded order (if any) and publish nothing. */
    private Outputs revokeInstead(StepContext ctx) {
        Optional<Outputs> previous = ctx.previousOutputs();
        Optional<PocoOrder> old = previous.flatMap(OrderPublishStep::recordedOrder);
        if (old.isEmpty() || "revoked".equals(previous.get().string("status").orElse(""))) {
            ctx.log().info("revoke: true and no open order recorded: nothing to revoke, nothing published");
        } else {
            retire(ctx, previous.get(), old.get());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", OrderKind.valueOf(ctx.inputs().string("kind").toUpperCase(java.util.Locale.ROOT)).apiName());
        previous.ifPresent(p -> copy(p, out));
        out.put("status", "revoked");
        out.put(RETIRE_WITH, retireWith(ctx.inputs()));
        return Outputs.of(out);
    }

    private static void copy(Outputs from, Map<String, Object> to) {
        for (String key : List.of("hash", "order", "kind", "resource", "signer", "market")) {
            if (from.has(key)) {
                to.put(key, from.get(key));
            }
        }
    }

    @Override
    public String retirePreview(Outputs recorded) {
        return revokePreview(recorded);
    }

    @Override
    public void retire(StepContext ctx) {
        Outputs recorded = ctx.previousOutputs().orElseThrow();
        Optional<PocoOrder> order = recordedOrder(recorded);
        if (order.isEmpty() || "revoked".equals(recorded.string("status").orElse(""))) {
            ctx.log().info("no open order recorded; dropping the record");
            return;
        }
        retire(ctx, recorded, order.get());
    }

    private void retire(StepContext ctx, Outputs recorded, PocoOrder order) {
        ChainAccess access = ChainAccess.of(ctx, settings);
        String signer = recorded.string("signer").orElse("");
        if (!signer.equalsIgnoreCase(access.wallet().address())) {
            throw new TeeflowException(ctx.address() + ": the order was signed by " + signer + ", but the wallet is "
                    + access.wallet().describe() + "; revoke it with the wallet that published it");
        }
        String hash = recorded.string("hash").orElseThrow();
        try {
            new OrderRevoker(ctx, access, market(ctx, access)).revoke(order, hash, Map.of());
        } catch (ChainException e) {
            throw new TeeflowException(ctx.address() + ": " + e.getMessage(), e);
        }
    }

    /** "will revoke datasetorder 0x..: it allowed dataset 0x.. to app 0x.., ..." from a step's recorded outputs. */
    static String revokePreview(Outputs recorded) {
        Optional<PocoOrder> order = recordedOrder(recorded);
        if (order.isEmpty()) {
            return "no order recorded: only the record is dropped";
        }
        if ("revoked".equals(recorded.string("status").orElse(""))) {
            return order.get().kind().apiName() + " " + recorded.string("hash").orElse("") + " is already revoked";
        }
        return "will revoke " + order.get().kind().apiName() + " " + recorded.string("hash").orElse("")
                + " (close it on chain, withdraw it from the market); it allowed " + OrderRevoker.allowed(order.get());
    }

    /** The signed order a step recorded, if it recorded one. */
    static Optional<PocoOrder> recordedOrder(Outputs recorded) {
        Optional<OrderKind> kind = recorded.string("kind").flatMap(OrderPublishStep::optionalKind);
        if (kind.isEmpty() || !(recorded.get("order") instanceof Map<?, ?> order)) {
            return Optional.empty();
        }
        try {
            return Optional.of(OrderJson.fromJson(kind.get(), JSON.valueToTree(order)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<OrderKind> optionalKind(String apiName) {
        for (OrderKind k : OrderKind.values()) {
            if (k.apiName().equals(apiName)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** The chain and wallet inputs as written (secrets as their references), for revoking once the block is gone. */
    private static Map<String, Object> retireWith(Inputs in) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("chain", references(in.raw("chain")));
        out.put("wallet", references(in.raw("wallet")));
        return out;
    }

    private static Object references(Object v) {
        if (v instanceof dev.teeflow.engine.secret.Secret s) {
            return s.source();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), references(val)));
            return out;
        }
        return v;
    }

    /**
     * Runs a call that logs in to the market. The market keeps one pending login challenge per address,
     * so two steps of one wallet that log in at once would spoil each other's challenge: they take turns.
     */
    static <T> T loggedIn(StepContext ctx, ChainAccess access, java.util.function.Supplier<T> call) {
        java.util.concurrent.locks.ReentrantLock lock = ctx.shared("teeflow.market-login." + access.chain().market() + "."
                + access.wallet().address(), java.util.concurrent.locks.ReentrantLock.class, java.util.concurrent.locks.ReentrantLock::new);
        lock.lock();
        try {
            return call.get();
        } finally {
            lock.unlock();
        }
    }

    private static MarketClient market(StepContext ctx, ChainAccess access) {
        String url = access.chain().market();
        if (url == null || url.isBlank()) {
            throw new TeeflowException(ctx.address() + ": " + access.chain().describe() + " has no market API URL;"
                    + " add one under chains: { " + access.chain().name() + ": { market: https://... } }");
        }
        long chainId = access.chain().chainId();
        return ctx.shared("teeflow.market." + chainId + "." + url, MarketClient.class,
                () -> new MarketClient(URI.create(url), chainId));
    }

    @Override
    public Check verify(StepContext ctx, Outputs recorded) {
        if ("revoked".equals(recorded.string("status").orElse(""))) {
            return Check.holds(); // a closed order stays closed
        }
        Optional<String> hash = recorded.string("hash");
        Optional<String> kindName = recorded.string("kind");
        Optional<String> url = recorded.string("market");
        if (hash.isEmpty() || kindName.isEmpty() || url.isEmpty()) {
            return Check.gone("the record does not say which order was published");
        }
        OrderKind kind = kindOf(kindName.get());
        ChainAccess access;
        try {
            access = ChainAccess.of(ctx, settings);
        } catch (TeeflowException e) {
            return Check.gone(e.getMessage());
        }
        if (!url.get().equals(access.chain().market())) {
            return Check.gone("the order was published to " + url.get() + ", the chain's market is now " + access.chain().market());
        }
        try {
            Optional<PublishedOrder> found = market(ctx, access).find(kind, hash.get());
            if (found.isEmpty()) {
                return Check.gone(kind.apiName() + " " + hash.get() + " is unknown to the market at " + url.get()
                        + " (unpublished, or a restarted devnet market)");
            }
            return found.get().isOpen() ? Check.holds()
                    : Check.gone(kind.apiName() + " " + hash.get() + " is " + found.get().status() + " with "
                            + found.get().remaining() + " left");
        } catch (MarketException e) {
            return Check.gone("cannot ask the market at " + url.get() + " (" + e.getMessage() + ")");
        }
    }

    private static OrderKind kindOf(String apiName) {
        for (OrderKind k : OrderKind.values()) {
            if (k.apiName().equals(apiName)) {
                return k;
            }
        }
        throw new TeeflowException("unknown order kind '" + apiName + "' in the record");
    }
}
