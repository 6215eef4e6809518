package dev.teeflow.cli;

import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.spi.StepCost;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an apply will spend, added up from the typed cost forecasts of the steps that will run: the RLC
 * they pay (at current prices, or bounds where a price depends on a step that has not run) and the gas of
 * their transactions at the chain's current gas price. What is unknown is counted as unknown, never as zero.
 */
public final class CostForecast {
    static final String DEAL_TYPE = "run.deal";
    private static final BigDecimal NRLC_PER_RLC = BigDecimal.TEN.pow(9);
    private static final BigDecimal WEI_PER_ETH = BigDecimal.TEN.pow(18);
    private static final BigDecimal WEI_PER_GWEI = BigDecimal.TEN.pow(9);

    /** One step that will run and costs something. */
    record Row(String address, String type, StepCost cost) {
    }

    private final List<Row> rows;

    private CostForecast(List<Row> rows) {
        this.rows = rows;
    }

    public static CostForecast of(Plan plan) {
        List<Row> rows = new ArrayList<>();
        for (PlannedStep s : plan.steps()) {
            if (s.action().willRun() && s.cost() != null
                    && (s.cost().payment() != null || !s.cost().transactions().isEmpty())) {
                rows.add(new Row(s.address(), s.type(), s.cost()));
            }
        }
        return new CostForecast(rows);
    }

    List<Row> rows() {
        return rows;
    }

    private List<StepCost.Amount> payments() {
        return rows.stream().map(r -> r.cost().payment()).filter(p -> p != null).toList();
    }

    private List<StepCost.Gas> transactions() {
        return rows.stream().flatMap(r -> r.cost().transactions().stream()).toList();
    }

    /** The RLC of every payment whose amount is known (estimates and bounds), in nRLC. */
    BigInteger knownNrlc() {
        return payments().stream().map(StepCost.Amount::value).filter(v -> v != null).reduce(BigInteger.ZERO, BigInteger::add);
    }

    long unknownPayments() {
        return payments().stream().filter(p -> p.kind() == StepCost.Kind.UNKNOWN).count();
    }

    long boundedPayments() {
        return payments().stream().filter(p -> p.kind() == StepCost.Kind.BOUND).count();
    }

    /** The native cost of every transaction whose gas and price are known, in wei. */
    BigInteger knownWei() {
        return transactions().stream().map(StepCost.Gas::wei).filter(v -> v != null).reduce(BigInteger.ZERO, BigInteger::add);
    }

    long unknownTransactions() {
        return transactions().stream().filter(g -> g.wei() == null).count();
    }

    long boundedTransactions() {
        return transactions().stream().filter(g -> g.kind() == StepCost.Kind.BOUND).count();
    }

    static String rlc(BigInteger nrlc) {
        return new BigDecimal(nrlc).divide(NRLC_PER_RLC).stripTrailingZeros().toPlainString() + " RLC";
    }

    static String eth(BigInteger wei) {
        return plain(new BigDecimal(wei).divide(WEI_PER_ETH)) + " ETH";
    }

    private static String gwei(BigInteger wei) {
        return plain(new BigDecimal(wei).divide(WEI_PER_GWEI).round(new java.math.MathContext(4, RoundingMode.HALF_UP))) + " gwei";
    }

    private static String plain(BigDecimal d) {
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    /** The plan's total line, or null when no step that will run costs anything. */
    public String totalLine() {
        if (rows.isEmpty()) {
            return null;
        }
        long deals = payments().size();
        String rlcPart = "at most " + knownNrlc() + " nRLC (" + rlc(knownNrlc()) + ")";
        String gasPart = "about " + eth(knownWei()) + " of gas";
        List<String> notes = new ArrayList<>();
        if (deals > 0) {
            notes.add(deals + " paying step(s)" + (boundedPayments() > 0 ? ", " + boundedPayments() + " priced by a bound" : "")
                    + (unknownPayments() > 0 ? ", " + unknownPayments() + " that cannot be priced before the steps they"
                            + " depend on run (not counted; each deal checks its real price against the budget before paying)" : ""));
        }
        notes.add(transactions().size() + " transaction(s)"
                + (boundedTransactions() > 0 ? ", " + boundedTransactions() + " counted at their gas bound" : "")
                + (unknownTransactions() > 0 ? ", " + unknownTransactions() + " whose gas is unknown (not counted)" : ""));
        return "This apply spends " + rlcPart + " and " + gasPart + " (" + String.join("; ", notes) + ").";
    }

    /** One line per costing step, for the plan's table. */
    static String describe(StepCost cost) {
        List<String> parts = new ArrayList<>();
        StepCost.Amount p = cost.payment();
        if (p != null) {
            parts.add(switch (p.kind()) {
                case ESTIMATE -> "pays " + p.value() + " nRLC (" + p.note() + ")";
                case BOUND -> "pays at most " + p.value() + " nRLC (bound: " + p.note() + ")";
                case UNKNOWN -> "pays an amount not known yet (" + p.note() + ")";
            });
        }
        if (cost.transactions().isEmpty()) {
            parts.add("no transaction");
        }
        for (StepCost.Gas g : cost.transactions()) {
            parts.add(switch (g.kind()) {
                case ESTIMATE -> g.operation() + " " + g.gas() + " gas x " + gwei(g.weiPerGas()) + " = " + eth(g.wei())
                        + " (" + g.note() + ")";
                case BOUND -> g.operation() + " at most " + g.gas() + " gas x " + gwei(g.weiPerGas()) + " = "
                        + eth(g.wei()) + " (bound: " + g.note() + ")";
                case UNKNOWN -> g.operation() + " gas unknown (" + g.note() + ")";
            });
        }
        return "cost: " + String.join("; ", parts);
    }

    Map<String, Object> toJson() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("line", totalLine());
        doc.put("known-nrlc", knownNrlc().toString());
        doc.put("known-rlc", new BigDecimal(knownNrlc()).divide(NRLC_PER_RLC).stripTrailingZeros().toPlainString());
        doc.put("complete", unknownPayments() == 0);
        doc.put("bounded", boundedPayments() > 0);
        doc.put("gas-wei", knownWei().toString());
        doc.put("gas-eth", plain(new BigDecimal(knownWei()).divide(WEI_PER_ETH)));
        doc.put("gas-complete", unknownTransactions() == 0);
        doc.put("gas-bounded", boundedTransactions() > 0);
        doc.put("steps", rows.stream().map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("address", r.address());
            row.put("type", r.type());
            StepCost.Amount p = r.cost().payment();
            if (p != null) {
                Map<String, Object> pay = new LinkedHashMap<>();
                pay.put("nrlc", p.value() == null ? null : p.value().toString());
                pay.put("kind", kind(p.kind()));
                pay.put("note", p.note());
                row.put("payment", pay);
            }
            row.put("transactions", r.cost().transactions().stream().map(g -> {
                Map<String, Object> tx = new LinkedHashMap<>();
                tx.put("operation", g.operation());
                tx.put("gas", g.gas() == null ? null : g.gas().toString());
                tx.put("wei-per-gas", g.weiPerGas() == null ? null : g.weiPerGas().toString());
                tx.put("wei", g.wei() == null ? null : g.wei().toString());
                tx.put("kind", kind(g.kind()));
                tx.put("note", g.note());
                return tx;
            }).toList());
            return row;
        }).toList());
        return doc;
    }

    private static String kind(StepCost.Kind k) {
        return k.name().toLowerCase(java.util.Locale.ROOT);
    }
}
