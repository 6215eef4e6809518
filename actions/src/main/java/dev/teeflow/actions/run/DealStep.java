package dev.teeflow.actions.run;

import dev.teeflow.actions.deploy.ChainAccess;
import dev.teeflow.actions.deploy.RecordingTxHook;
import dev.teeflow.actions.deploy.TxSettings;
import dev.teeflow.actions.secrets.ResultKeyLedger;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.actions.chain.ChainResolver;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.actions.chain.ChainFields;
import dev.teeflow.engine.spi.Field;
import dev.teeflow.engine.spi.FieldKind;
import dev.teeflow.engine.spi.StepOutput;
import dev.teeflow.engine.spi.StepSchema;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.PendingInput;
import dev.teeflow.engine.spi.StepCost;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.protocol.chain.ChainException;
import dev.teeflow.protocol.chain.Deal;
import dev.teeflow.protocol.chain.OrdersMatched;
import dev.teeflow.protocol.chain.PocoHub;
import dev.teeflow.protocol.chain.TxDroppedException;
import dev.teeflow.protocol.order.AppOrder;
import dev.teeflow.protocol.order.DatasetOrder;
import dev.teeflow.protocol.order.MarketClient;
import dev.teeflow.protocol.order.OrderJson;
import dev.teeflow.protocol.order.OrderSigner;
import dev.teeflow.protocol.order.RequestOrder;
import dev.teeflow.protocol.order.Tags;
import dev.teeflow.protocol.order.WorkerpoolOrder;
import dev.teeflow.protocol.sign.Eip712Domain;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * {@code run.deal}: makes ONE deal for a run. Resolves the orders, builds the params, signs the request
 * order, checks before paying what can be checked (requester secrets and the result key in the SMS,
 * RLC on the hub, volume), then sends {@code matchOrders}.
 *
 * <p>Crash safety: the signed request order is recorded as the step's intent before anything is sent,
 * the matchOrders transaction's hash before it is broadcast, and the deal id as soon as the receipt is
 * read. A resumed run reads the deal back (from the recorded deal id, the transaction's receipt, or the
 * request order's consumed volume on chain) instead of matching again; the request order's salt makes
 * a second match of the same order impossible anyway once it is consumed.
 *
 * <p>Outputs: {@code deal-id}, {@code task-ids} (list), {@code task-id} (the first), {@code params},
 * {@code tx}, {@code app}, {@code dataset}, {@code workerpool}, {@code requester}, {@code tag},
 * {@code volume}.
 */
public final class DealStep implements StepType {
    public static final String ID = "run.deal";
    /** Input: the apply's budget in nRLC (outside the cache key: a new budget never pays a deal again). */
    static final String BUDGET = "budget-nrlc";
    static final String RESULT_KEY_SECRET = "iexec-result-encryption-public-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Given by a test; else each run's from the environment the engine gives the step. */
    private final ChainResolver chains;

    public DealStep() {
        this(null);
    }

    DealStep(ChainResolver chains) {
        this.chains = chains;
    }

    private ChainResolver chains(StepContext ctx) {
        return chains != null ? chains : ChainResolver.of(ctx);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Effect effect() {
        return Effect.EXTERNAL;
    }

    static final StepSchema SCHEMA = StepSchema.builder("Makes one deal for a run: resolves the orders, signs the request"
                    + " order, checks before paying what can be checked, then sends matchOrders; crash-safe, never pays twice.")
            .field(Field.text("app").required().doc("the app's address (normally the deploy step's output)"))
            .field(Field.text("dataset").doc("the dataset's address"))
            .field(Field.text("workerpool").doc("the workerpool's address or ENS name (default: the chain's)"))
            .field(Field.of("args", FieldKind.ANY).doc("the app's arguments: a line, or a list joined with quoting"))
            .field(Field.list("input-files", FieldKind.TEXT).doc("URLs the worker downloads into the task's input folder"))
            .field(Field.map("secrets", FieldKind.TEXT).doc("requester secrets by index: {1: name}"))
            .field(Field.map("secret-fingerprints", FieldKind.TEXT)
                    .doc("each secret's fingerprint, so that a changed value makes a new deal"))
            .field(Field.bool("encrypt-result").withDefault(false).doc("encrypt the result with the wallet's result key"))
            .field(Field.text("result-key").doc("the result key's fingerprint (normally the result key step's output)"))
            .field(Field.text("tag").doc("the deal's tag (default: tee and the TEE framework)"))
            .field(Field.text("tee-framework").doc("the TEE framework (default: the chain's)"))
            .field(Field.number("category").withDefault(0).doc("the workerpool category"))
            .field(Field.number("trust").withDefault(0).doc("the trust level"))
            .field(Field.number("volume").withDefault(1).doc("how many tasks"))
            .field(Field.text("deposit").oneOf("auto", "never").doc("deposit missing RLC from the wallet (default: auto on a devnet)"))
            .field(Field.number(BUDGET).unkeyed().doc("the apply's budget in nRLC (never in the cache key)"))
            .field(ChainFields.CHAIN.required())
            .field(ChainFields.WALLET.required())
            .output(StepOutput.text("deal-id", "the deal's id"))
            .output(new StepOutput("task-ids", "list", false, "the ids of its tasks", null))
            .output(StepOutput.text("task-id", "the first task's id"))
            .output(StepOutput.text("params", "the request's params JSON"))
            .output(StepOutput.text("tx", "the matchOrders transaction"))
            .output(StepOutput.text("app", "the app's address"))
            .output(StepOutput.text("dataset", "the dataset's address"))
            .output(StepOutput.text("workerpool", "the workerpool's address"))
            .output(StepOutput.text("requester", "the requester's address"))
            .output(StepOutput.text("tag", "the deal's tag"))
            .output(StepOutput.number("volume", "how many tasks"))
            .build();

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    @Override
    public List<InputFile> inputFiles(Inputs inputs) {
        return ChainAccess.inputFiles(inputs);
    }


    @Override
    public Outputs run(StepContext ctx) throws Exception {
        ChainAccess chain = ChainAccess.of(ctx, TxSettings.DEFAULT, chains(ctx)); // checks the node serves this chain
        Optional<Map<String, Object>> intent = ctx.intent();
        if (intent.isPresent() && intent.get().get("request-hash") != null) {
            Optional<Outputs> resumed = resume(ctx, chain, intent.get());
            if (resumed.isPresent()) {
                return resumed.get();
            }
        }
        return matchNew(ctx, chain);
    }

    private Outputs matchNew(StepContext ctx, ChainAccess chain) throws Exception {
        Inputs in = ctx.inputs();
        DealPlan plan = DealPlan.of(in, chain);
        Eip712Domain domain = Eip712Domain.poco(chain.chain().chainId(), chain.chain().hub());
        MarketClient market = chain.chain().market() == null ? null
                : new MarketClient(URI.create(chain.chain().market()), chain.chain().chainId());
        OrderResolver orders = new OrderResolver(chain.caller(), market, domain, chain.wallet().address(),
                chain.wallet().keyPair());
        String me = chain.wallet().address();
        ctx.log().info("requester " + chain.wallet().describe() + " on " + chain.chain().describe());

        var pool = orders.workerpool(plan.workerpool(), plan.tag(), plan.category(), plan.trust(), plan.volume());
        ctx.log().info("workerpool order: " + pool.source());
        var app = orders.app(plan.app(), plan.dataset(), plan.workerpool(), plan.tag(), plan.volume());
        ctx.log().info("app order: " + app.source());
        OrderResolver.Found<DatasetOrder> dataset = plan.dataset() == null ? null
                : orders.dataset(plan.dataset(), plan.app(), plan.workerpool(), plan.tag(), plan.volume());
        if (dataset != null) {
            ctx.log().info("dataset order: " + dataset.source());
        }
        RequestOrder request = signRequest(plan, app.order(), dataset == null ? null : dataset.order(), pool.order(),
                me, domain, chain.wallet().keyPair());
        ctx.log().info("params " + plan.params());

        DealCost cost = new DealCost(app.order().appprice(), dataset == null ? BigInteger.ZERO : dataset.order().datasetprice(),
                pool.order().workerpoolprice(), plan.volume(), me, chain.hub().viewAccount(me));
        ctx.log().info("this deal " + cost.describe());
        withinBudget(ctx, cost); // before any transaction, the deposit included
        new DealChecks(ctx, chain, plan, new ResultKeyLedger(chains(ctx).teeflowHome())).beforePaying(cost.total());

        String requestHash = OrderSigner.hash(request, domain);
        Map<String, Object> intent = new LinkedHashMap<>();
        intent.put("request-hash", requestHash);
        intent.put("request", JSON.writeValueAsString(OrderJson.toJson(request)));
        ctx.recordIntent(intent);
        String data = MatchOrders.calldata(app.order(), dataset == null ? null : dataset.order(), pool.order(), request);
        ctx.log().info("matching orders (matchOrders) for " + plan.volume() + " task(s)");
        TransactionReceipt receipt;
        try {
            String tx = chain.sender().broadcast(chain.chain().hub(), BigInteger.ZERO, data, new RecordingTxHook(ctx, hash -> {
                Map<String, Object> withTx = new LinkedHashMap<>(intent);
                withTx.put("tx", hash);
                ctx.recordIntent(withTx);
            }));
            receipt = chain.sender().awaitReceipt(tx);
        } catch (ChainException e) {
            throw new TeeflowException(ctx.address() + ": matchOrders failed: " + e.getMessage(), e);
        }
        return fromReceipt(ctx, chain, intent, receipt);
    }

    /** The request order of the deal, for these orders, signed by the requester (in memory: nothing is sent). */
    static RequestOrder signRequest(DealPlan plan, AppOrder app, DatasetOrder dataset, WorkerpoolOrder pool, String me,
                                    Eip712Domain domain, org.web3j.crypto.ECKeyPair key) {
        String dealTag = Tags.or(plan.tag(), app.tag(), dataset == null ? plan.tag() : dataset.tag());
        return (RequestOrder) OrderSigner.sign(new RequestOrder(plan.app(), app.appprice(),
                plan.dataset(), dataset == null ? BigInteger.ZERO : dataset.datasetprice(), plan.workerpool(),
                pool.workerpoolprice(), me, BigInteger.valueOf(plan.volume()), dealTag,
                BigInteger.valueOf(plan.category()), BigInteger.valueOf(plan.trust()), me, null, plan.params(), null, null),
                domain, key);
    }

    /** What the deals of one apply have paid (or are about to), against budget.rlc. */
    static final class Spent {
        private BigInteger nrlc = BigInteger.ZERO;
    }

    /**
     * Checks the deal's real prices, read just now, against the budget left in this apply and reserves
     * them; over budget, the step stops before any transaction.
     */
    private static void withinBudget(StepContext ctx, DealCost cost) {
        Optional<String> budgetInput = ctx.inputs().optionalString(BUDGET);
        if (budgetInput.isEmpty() || budgetInput.get().isBlank()) {
            return;
        }
        BigInteger budget = new BigInteger(budgetInput.get());
        Spent spent = ctx.shared("teeflow.budget.spent", Spent.class, Spent::new);
        synchronized (spent) {
            BigInteger after = spent.nrlc.add(cost.total());
            if (after.compareTo(budget) > 0) {
                throw new TeeflowException(ctx.address() + ": nothing was paid: at the orders' current prices this deal"
                        + " costs " + cost.total() + " nRLC (" + DealCost.rlc(cost.total()) + ")"
                        + (spent.nrlc.signum() > 0 ? " and earlier deals of this apply " + spent.nrlc + " nRLC" : "")
                        + ", over the budget of " + budget + " nRLC (" + DealCost.rlc(budget) + ", budget.rlc or --max-spend)");
            }
            spent.nrlc = after;
        }
        ctx.log().info("within the budget: " + spent.nrlc + " of " + budget + " nRLC (" + DealCost.rlc(budget) + ")");
    }

    private Outputs fromReceipt(StepContext ctx, ChainAccess chain, Map<String, Object> intent, TransactionReceipt receipt) {
        List<OrdersMatched> events = chain.hub().ordersMatched(receipt);
        String requestHash = (String) intent.get("request-hash");
        OrdersMatched event = events.stream().filter(e -> e.requestHash().equalsIgnoreCase(requestHash)).findFirst()
                .orElseThrow(() -> new TeeflowException(ctx.address() + ": transaction " + receipt.getTransactionHash()
                        + " emitted no OrdersMatched event for request " + requestHash));
        return recordDeal(ctx, chain, intent, event.dealId(), receipt.getTransactionHash());
    }

    /** Reads the deal back, records its id and task ids in the intent at once, and builds the outputs. */
    private Outputs recordDeal(StepContext ctx, ChainAccess chain, Map<String, Object> intent, String dealId, String tx) {
        Deal deal = chain.hub().viewDeal(dealId);
        if (deal.isEmpty()) {
            throw new TeeflowException(ctx.address() + ": deal " + dealId + " is not on chain " + chain.chain().describe());
        }
        List<String> taskIds = new ArrayList<>();
        long first = deal.botFirst().longValueExact();
        for (long i = 0; i < deal.botSize().longValueExact(); i++) {
            taskIds.add(PocoHub.taskId(dealId, first + i));
        }
        Map<String, Object> done = new LinkedHashMap<>(intent);
        done.put("deal-id", dealId);
        done.put("task-ids", taskIds);
        if (tx != null) {
            done.put("tx", tx);
        }
        ctx.recordIntent(done);
        ctx.log().info("deal " + dealId + " with " + taskIds.size() + " task(s): " + String.join(", ", taskIds));
        return outputs(dealId, taskIds, deal, tx);
    }

    static Outputs outputs(String dealId, List<String> taskIds, Deal deal, String tx) {
        return Outputs.builder()
                .put("deal-id", dealId)
                .put("task-ids", taskIds)
                .put("task-id", taskIds.get(0))
                .put("params", deal.params())
                .put("tx", tx == null ? "" : tx)
                .put("app", deal.app().pointer())
                .put("dataset", deal.dataset().pointer())
                .put("workerpool", deal.workerpool().pointer())
                .put("requester", deal.requester())
                .put("tag", deal.tag())
                .put("volume", deal.botSize().longValueExact())
                .build();
    }

    /**
     * Picks up an interrupted run: the deal it recorded, or the one its transaction made, or the one
     * its request order made (consumed volume on chain). Empty when nothing was matched.
     */
    private Optional<Outputs> resume(StepContext ctx, ChainAccess chain, Map<String, Object> intent) {
        String requestHash = (String) intent.get("request-hash");
        if (intent.get("deal-id") instanceof String dealId && !chain.hub().viewDeal(dealId).isEmpty()) {
            ctx.log().info("resuming: the interrupted run already made deal " + dealId + "; no new deal");
            return Optional.of(recordDeal(ctx, chain, intent, dealId, (String) intent.get("tx")));
        }
        if (intent.get("tx") instanceof String tx) {
            ctx.log().info("resuming: waiting for the recorded matchOrders transaction " + tx);
            try {
                return Optional.of(fromReceipt(ctx, chain, intent, chain.sender().resume(tx)));
            } catch (TxDroppedException e) {
                ctx.log().warn("the recorded transaction " + tx + " never reached the chain");
            } catch (ChainException e) {
                ctx.log().warn("the recorded transaction " + tx + " failed: " + e.getMessage());
            }
        }
        BigInteger consumed = Numeric.toBigInt(chain.caller().call(chain.chain().hub(),
                MatchOrders.viewConsumed(requestHash), "viewConsumed"));
        if (consumed.signum() > 0) {
            String dealId = MatchOrders.dealId(requestHash, BigInteger.ZERO);
            ctx.log().info("resuming: request order " + requestHash + " was already matched in deal " + dealId);
            return Optional.of(recordDeal(ctx, chain, intent, dealId, null));
        }
        ctx.log().info("the interrupted run made no deal; matching now");
        return Optional.empty();
    }

    /** The deal is still on chain (a reset devnet has lost it: then the run is made again). */
    @Override
    public Check verify(StepContext ctx, Outputs recorded) {
        Optional<String> dealId = recorded.string("deal-id");
        if (dealId.isEmpty()) {
            return Check.gone("the record holds no deal id");
        }
        ChainAccess chain = ChainAccess.readOnly(ctx, chains(ctx));
        chain.checkReachable(); // an unreachable chain is an error, never a reason to pay for a second deal
        return chain.hub().viewDeal(dealId.get()).isEmpty()
                ? Check.gone("deal " + dealId.get() + " is not on " + chain.chain().describe() + " (a reset devnet?)")
                : Check.holds();
    }

    /** RLC at the orders' current prices (or a bound with the reason), and the gas of the deposit and matchOrders. */
    @Override
    public StepCost cost(StepContext ctx, Map<String, PendingInput> pending) {
        return DealForecast.of(ctx, ChainAccess.of(ctx, TxSettings.DEFAULT, chains(ctx)), pending);
    }

    @Override
    public String preview(StepContext ctx) {
        Inputs in = ctx.inputs();
        String what = "match app " + in.string("app", "?") + (in.has("dataset") ? " with dataset " + in.string("dataset") : "")
                + " (volume " + in.number("volume", 1) + ")";
        return what + "; " + forecast(ctx);
    }

    /**
     * The deal's cost at the orders' current prices (orders of owned assets signed here, in memory only;
     * nothing is sent), or why it cannot be known yet. Never a silent zero.
     */
    private String forecast(StepContext ctx) {
        try {
            ChainAccess chain = ChainAccess.of(ctx, TxSettings.DEFAULT, chains(ctx));
            DealPlan plan = DealPlan.of(ctx.inputs(), chain);
            Eip712Domain domain = Eip712Domain.poco(chain.chain().chainId(), chain.chain().hub());
            MarketClient market = chain.chain().market() == null ? null
                    : new MarketClient(URI.create(chain.chain().market()), chain.chain().chainId());
            String me = chain.wallet().address();
            OrderResolver orders = new OrderResolver(chain.caller(), market, domain, me, chain.wallet().keyPair());
            var pool = orders.workerpool(plan.workerpool(), plan.tag(), plan.category(), plan.trust(), plan.volume());
            var app = orders.app(plan.app(), plan.dataset(), plan.workerpool(), plan.tag(), plan.volume());
            var dataset = plan.dataset() == null ? null
                    : orders.dataset(plan.dataset(), plan.app(), plan.workerpool(), plan.tag(), plan.volume());
            DealCost cost = new DealCost(app.order().appprice(), dataset == null ? BigInteger.ZERO : dataset.order().datasetprice(),
                    pool.order().workerpoolprice(), plan.volume(), me, chain.hub().viewAccount(me));
            return cost.describe();
        } catch (RuntimeException e) {
            return "cost not known before the steps it depends on run (" + e.getMessage() + "); the deal reads the"
                    + " real prices and checks the budget just before matchOrders";
        }
    }
}
