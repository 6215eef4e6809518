package dev.teeflow.actions.run;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.SectionType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code budget: { rlc: 5, gas-eth: 0.01 }}: the most RLC one apply may pay for deals, and the most gas
 * (in the chain's native coin) its transactions may cost. Emits no step; every deal step gets the RLC
 * budget in nRLC (an input outside its cache key) and stops before paying when the deals of the apply
 * would cost more; apply refuses before sending anything when the plan's gas forecast is over gas-eth.
 */
public final class BudgetSection implements SectionType {
    public static final String KEY = "budget";
    static final BigDecimal NRLC_PER_RLC = BigDecimal.TEN.pow(9);
    static final BigDecimal WEI_PER_ETH = BigDecimal.TEN.pow(18);

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public void expand(ConfigNode section, ConfigNode root, Problems problems, Consumer<StepSpec> emit) {
        nrlc(root, problems);
        gasWei(root, problems);
    }

    /** The budget of the pipeline in nRLC, when it has one; problems name the field. */
    static Optional<BigInteger> nrlc(ConfigNode root, Problems problems) {
        return amount(root, problems, "rlc", NRLC_PER_RLC, "RLC, e.g. 5 or 0.5");
    }

    /** The most gas one apply may pay for, in wei ({@code budget.gas-eth}), when the pipeline says. */
    public static Optional<BigInteger> gasWei(ConfigNode root, Problems problems) {
        return amount(root, problems, "gas-eth", WEI_PER_ETH, "ETH, e.g. 0.01");
    }

    private static Optional<BigInteger> amount(ConfigNode root, Problems problems, String field, BigDecimal unit,
                                               String example) {
        ConfigNode section = root == null ? null : root.get(KEY);
        if (section == null || section.isNull()) {
            return Optional.empty();
        }
        if (!section.isMap()) {
            problems.error(section, "budget must be a map, e.g. budget: { rlc: 5, gas-eth: 0.01 }");
            return Optional.empty();
        }
        Optional<BigInteger> out = Optional.empty();
        for (String key : section.entries().keySet()) {
            ConfigNode v = section.get(key);
            if (!key.equals("rlc") && !key.equals("gas-eth")) {
                if (field.equals("rlc")) { // reported once, by the RLC reading
                    problems.error(v, "unknown key '" + key + "' in budget (allowed: rlc, gas-eth)");
                }
                continue;
            }
            if (!key.equals(field)) {
                continue;
            }
            try {
                BigDecimal amount = new BigDecimal(String.valueOf(v.value()).strip());
                if (amount.signum() < 0) {
                    problems.error(v, "must be 0 or more");
                } else {
                    out = Optional.of(amount.multiply(unit).toBigInteger());
                }
            } catch (NumberFormatException e) {
                problems.error(v, "must be a number of " + example);
            }
        }
        return out;
    }
}
