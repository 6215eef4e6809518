package dev.teeflow.cli;

import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.plan.PlannedStep;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RLC an apply will pay, summed from the plan's forecasts of the deal steps that will run ("costs N
 * nRLC ..."). A deal whose cost is not known yet is counted as unknown, never as zero.
 */
public final class CostForecast {
    static final String DEAL_TYPE = "run.deal";
    private static final Pattern COST = Pattern.compile("costs (\\d+) nRLC");
    private static final BigDecimal NRLC_PER_RLC = BigDecimal.TEN.pow(9);

    /** One deal: its cost in nRLC, or null with the reason in {@code note}. */
    record DealForecast(String address, BigInteger nrlc, String note) {
    }

    private final List<DealForecast> deals;

    private CostForecast(List<DealForecast> deals) {
        this.deals = deals;
    }

    public static CostForecast of(Plan plan) {
        List<DealForecast> deals = new ArrayList<>();
        for (PlannedStep s : plan.steps()) {
            if (!DEAL_TYPE.equals(s.type()) || !s.action().willRun()) {
                continue;
            }
            Matcher m = COST.matcher(s.detail() == null ? "" : s.detail());
            deals.add(m.find() ? new DealForecast(s.address(), new BigInteger(m.group(1)), null)
                    : new DealForecast(s.address(), null, s.detail() == null ? "no forecast" : s.detail()));
        }
        return new CostForecast(deals);
    }

    List<DealForecast> deals() {
        return deals;
    }

    /** The sum of the deals whose cost is known. */
    BigInteger knownNrlc() {
        return deals.stream().map(DealForecast::nrlc).filter(n -> n != null).reduce(BigInteger.ZERO, BigInteger::add);
    }

    long unknownCount() {
        return deals.stream().filter(d -> d.nrlc() == null).count();
    }

    static String rlc(BigInteger nrlc) {
        return new BigDecimal(nrlc).divide(NRLC_PER_RLC).stripTrailingZeros().toPlainString() + " RLC";
    }

    /** The plan's total line, or null when no deal will run. */
    public String totalLine() {
        if (deals.isEmpty()) {
            return null;
        }
        String known = knownNrlc() + " nRLC (" + rlc(knownNrlc()) + ")";
        return unknownCount() == 0
                ? "This apply pays " + known + " for " + deals.size() + " deal(s) at the orders' current prices (gas not included)."
                : "This apply pays at least " + known + " for the deals priced now; " + unknownCount()
                        + " deal(s) cannot be priced before the steps they depend on run (see above); each deal checks"
                        + " its real price against the budget before paying.";
    }

    Map<String, Object> toJson() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("known-nrlc", knownNrlc().toString());
        doc.put("known-rlc", new BigDecimal(knownNrlc()).divide(NRLC_PER_RLC).stripTrailingZeros().toPlainString());
        doc.put("complete", unknownCount() == 0);
        doc.put("deals", deals.stream().map(d -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("address", d.address());
            row.put("nrlc", d.nrlc() == null ? null : d.nrlc().toString());
            if (d.note() != null) {
                row.put("unknown-because", d.note());
            }
            return row;
        }).toList());
        return doc;
    }
}
