package dev.teeflow.actions.run;

import dev.teeflow.actions.deploy.ChainAccess;
import dev.teeflow.actions.deploy.GasBounds;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.PendingInput;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepCost;
import dev.teeflow.protocol.chain.ChainException;
import dev.teeflow.protocol.chain.RlcToken;
import dev.teeflow.protocol.order.AppOrder;
import dev.teeflow.protocol.order.DatasetOrder;
import dev.teeflow.protocol.order.MarketClient;
import dev.teeflow.protocol.order.RequestOrder;
import dev.teeflow.protocol.order.WorkerpoolOrder;
import dev.teeflow.protocol.sign.Eip712Domain;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One deal's cost for the plan: the RLC it pays at the orders' current prices, and the gas of its deposit
 * and {@code matchOrders}. Nothing is sent: orders of owned assets and the request are signed in memory.
 * A price that depends on a step that has not run is a bound with the reason: an asset that step deploys
 * is the wallet's own (its order is signed at 0 nRLC); an order whose restriction names such an asset is
 * bounded by the dearest open order usable with any. What cannot be bounded is unknown, never zero.
 */
final class DealForecast {
    private static final String PLACEHOLDER = "0x0000000000000000000000000000000000000000";
    private static final Set<String> DEPLOYS = Set.of("app.deploy", "dataset.deploy", "workerpool.deploy");
    /** Inputs whose value changes the price or which orders fit; pending, the price is unknown. */
    private static final Set<String> PRICE_INPUTS = Set.of("volume", "tag", "tee-framework", "category", "trust", "deposit");

    private final ChainAccess chain;
    private final Map<String, PendingInput> pending;
    private final List<String> bounds = new ArrayList<>();
    private final List<String> unknowns = new ArrayList<>();

    private DealForecast(ChainAccess chain, Map<String, PendingInput> pending) {
        this.chain = chain;
        this.pending = pending;
    }

    static StepCost of(StepContext ctx, ChainAccess chain, Map<String, PendingInput> pending) {
        return new DealForecast(chain, pending).forecast(ctx.inputs());
    }

    private StepCost forecast(Inputs written) {
        BigInteger gasPrice = chain.sender().gasPrice();
        Optional<String> priceInput = pending.keySet().stream().filter(PRICE_INPUTS::contains).findFirst();
        Map<String, Object> values = new LinkedHashMap<>(written.asMap());
        for (String asset : List.of("app", "dataset", "workerpool")) {
            if (pending.containsKey(asset)) {
                values.put(asset, PLACEHOLDER);
            }
        }
        DealPlan plan = DealPlan.of(Inputs.of(written.owner(), written.projectDir(), values), chain);
        if (priceInput.isPresent()) {
            String why = "its " + priceInput.get() + " is " + pending.get(priceInput.get()) + ", known only once that step runs";
            return StepCost.of(StepCost.Amount.unknown(why), List.of(
                    GasBounds.DEPOSIT.bound(gasPrice, "may deposit: " + why), GasBounds.MATCH_ORDERS.bound(gasPrice, why, extraParams(plan))));
        }
        String me = chain.wallet().address();
        Eip712Domain domain = Eip712Domain.poco(chain.chain().chainId(), chain.chain().hub());
        MarketClient market = chain.chain().market() == null ? null
                : new MarketClient(URI.create(chain.chain().market()), chain.chain().chainId());
        OrderResolver orders = new OrderResolver(chain.caller(), market, domain, me, chain.wallet().keyPair());

        WorkerpoolOrder pool = null;
        AppOrder app = null;
        DatasetOrder dataset = null;
        BigInteger perTask = BigInteger.ZERO;
        if (!ownDeploy("workerpool")) {
            pool = price(() -> orders.workerpool(plan.workerpool(), plan.tag(), plan.category(), plan.trust(), plan.volume()).order());
            perTask = add(perTask, pool == null ? null : pool.workerpoolprice());
        }
        if (!ownDeploy("app")) {
            if (plan.dataset() != null && pending.containsKey("dataset")) {
                perTask = add(perTask, dearest("app", "dataset",
                        () -> orders.dearestApp(plan.app(), plan.workerpool(), plan.tag(), plan.volume())));
            } else {
                app = price(() -> orders.app(plan.app(), plan.dataset(), plan.workerpool(), plan.tag(), plan.volume()).order());
                perTask = add(perTask, app == null ? null : app.appprice());
            }
        }
        if (plan.dataset() != null && !ownDeploy("dataset")) {
            if (pending.containsKey("app")) {
                perTask = add(perTask, dearest("dataset", "app",
                        () -> orders.dearestDataset(plan.dataset(), plan.workerpool(), plan.tag(), plan.volume())));
            } else {
                dataset = price(() -> orders.dataset(plan.dataset(), plan.app(), plan.workerpool(), plan.tag(), plan.volume()).order());
                perTask = add(perTask, dataset == null ? null : dataset.datasetprice());
            }
        }
        BigInteger total = perTask == null ? null : perTask.multiply(BigInteger.valueOf(plan.volume()));
        StepCost.Amount payment = !unknowns.isEmpty() ? StepCost.Amount.unknown(String.join("; ", unknowns))
                : !bounds.isEmpty() ? StepCost.Amount.bound(total, String.join("; ", bounds))
                : StepCost.Amount.estimate(total, "at the orders' current prices");
        return StepCost.of(payment, gas(plan, payment, gasPrice, pending.isEmpty() && unknowns.isEmpty() && bounds.isEmpty()
                ? new Orders(app, dataset, pool, me, domain) : null));
    }

    /** The deposit (when {@code deposit: auto} must fill a shortfall) and matchOrders. */
    private List<StepCost.Gas> gas(DealPlan plan, StepCost.Amount payment, BigInteger gasPrice, Orders known) {
        List<StepCost.Gas> out = new ArrayList<>();
        boolean auto = "auto".equals(plan.deposit());
        if (payment.value() == null) {
            if (auto) {
                out.add(GasBounds.DEPOSIT.bound(gasPrice, "may deposit: the deal's price is not known yet"));
            }
            out.add(GasBounds.MATCH_ORDERS.bound(gasPrice, "the orders are known only once " + waiting() + " run(s)",
                    extraParams(plan)));
            return out;
        }
        BigInteger shortfall = payment.value().subtract(chain.hub().viewAccount(chain.wallet().address()).stake());
        if (shortfall.signum() > 0 && auto) {
            String rlc = chain.hub().rlc().address();
            String data = RlcToken.approveAndCallData(chain.chain().hub(), shortfall, new byte[0]);
            out.add(estimate(GasBounds.DEPOSIT, gasPrice, () -> chain.sender().estimate(rlc, BigInteger.ZERO, data),
                    "deposit of " + shortfall + " nRLC", 0));
        }
        if (shortfall.signum() > 0) {
            out.add(GasBounds.MATCH_ORDERS.bound(gasPrice, "the hub account lacks " + shortfall
                    + " nRLC of stake until the deposit runs, so the call cannot be estimated now", extraParams(plan)));
        } else if (known == null) {
            out.add(GasBounds.MATCH_ORDERS.bound(gasPrice, "the orders are known only once " + waiting() + " run(s)",
                    extraParams(plan)));
        } else {
            RequestOrder request = DealStep.signRequest(plan, known.app(), known.dataset(), known.pool(), known.me(),
                    known.domain(), chain.wallet().keyPair());
            String data = MatchOrders.calldata(known.app(), known.dataset(), known.pool(), request);
            out.add(estimate(GasBounds.MATCH_ORDERS, gasPrice,
                    () -> chain.sender().estimate(chain.chain().hub(), BigInteger.ZERO, data), "matchOrders", extraParams(plan)));
        }
        return out;
    }

    private record Orders(AppOrder app, DatasetOrder dataset, WorkerpoolOrder pool, String me, Eip712Domain domain) {
    }

    private interface Read<T> {
        T get();
    }

    private static StepCost.Gas estimate(GasBounds op, BigInteger gasPrice, Read<BigInteger> estimate, String what,
                                         long extraBytes) {
        try {
            return new StepCost.Gas(op.operation(), estimate.get(), gasPrice, StepCost.Kind.ESTIMATE, "eth_estimateGas");
        } catch (ChainException e) {
            return op.bound(gasPrice, "the node cannot estimate the " + what + " now (" + e.getMessage() + ")", extraBytes);
        }
    }

    /** The bytes of the request's params beyond what the measured matchOrders bound covers. */
    private static long extraParams(DealPlan plan) {
        return plan.params().getBytes(java.nio.charset.StandardCharsets.UTF_8).length - GasBounds.MATCH_PARAMS_COVERED;
    }

    /** An asset deployed by a step of this apply: the wallet owns it, so its order is signed at 0 nRLC. */
    private boolean ownDeploy(String asset) {
        PendingInput p = pending.get(asset);
        if (p == null) {
            return false;
        }
        if (DEPLOYS.contains(p.stepType()) && p.output().equals("address")) {
            bounds.add(asset + " deployed by " + p.step() + " in this apply: the wallet's own order, signed at 0 nRLC");
            return true;
        }
        unknowns.add("the " + asset + " is " + p + ", known only once that step runs");
        return true;
    }

    private <T> T price(Read<T> order) {
        try {
            return order.get();
        } catch (RuntimeException e) {
            unknowns.add(String.valueOf(e.getMessage()));
            return null;
        }
    }

    private BigInteger dearest(String asset, String restrictedBy, Read<Optional<BigInteger>> dearest) {
        String after = pending.get(restrictedBy).step();
        Optional<BigInteger> max = price(dearest::get);
        if (max == null || max.isEmpty()) {
            unknowns.add("the " + asset + "'s order is chosen once " + after + " runs (its " + restrictedBy
                    + " restriction), and no open order of it fits now");
            return null;
        }
        bounds.add("the " + asset + "'s order is chosen once " + after + " runs (its " + restrictedBy
                + " restriction): at most the dearest open one now, " + max.get() + " nRLC");
        return max.get();
    }

    private static BigInteger add(BigInteger sum, BigInteger price) {
        return sum == null || price == null ? null : sum.add(price);
    }

    private String waiting() {
        return String.join(", ", pending.values().stream().map(PendingInput::step).distinct().toList());
    }
}
