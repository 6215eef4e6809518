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
 * {@code budget: { rlc: 5 }}: the most RLC one apply may pay for deals. Emits no step; every deal step
 * gets the budget in nRLC (an input outside its cache key) and stops before paying when the deals of the
 * apply would cost more.
 */
public final class BudgetSection implements SectionType {
    public static final String KEY = "budget";
    static final BigDecimal NRLC_PER_RLC = BigDecimal.TEN.pow(9);

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String doc() {
        return "The most RLC one apply may pay for deals; every deal step gets it outside its cache key and "
                + "stops before paying past it; makes no step. Example: budget: { rlc: 5 }.";
    }

    @Override
    public void expand(ConfigNode section, ConfigNode root, Problems problems, Consumer<StepSpec> emit) {
        nrlc(root, problems);
    }

    /** The budget of the pipeline in nRLC, when it has one; problems name the field. */
    static Optional<BigInteger> nrlc(ConfigNode root, Problems problems) {
        ConfigNode section = root == null ? null : root.get(KEY);
        if (section == null || section.isNull()) {
            return Optional.empty();
        }
        if (!section.isMap()) {
            problems.error(section, "budget must be a map, e.g. budget: { rlc: 5 }");
            return Optional.empty();
        }
        Optional<BigInteger> out = Optional.empty();
        for (String key : section.entries().keySet()) {
            ConfigNode v = section.get(key);
            if (key.equals("rlc")) {
                try {
                    BigDecimal rlc = new BigDecimal(String.valueOf(v.value()).strip());
                    if (rlc.signum() < 0) {
                        problems.error(v, "must be 0 or more");
                    } else {
                        out = Optional.of(rlc.multiply(NRLC_PER_RLC).toBigInteger());
                    }
                } catch (NumberFormatException e) {
                    problems.error(v, "must be a number of RLC, e.g. 5 or 0.5");
                }
            } else if (key.equals("gas-eth")) {
                problems.error(v, "not supported yet: teeflow caps the RLC paid for deals (budget.rlc)"
                        + " but does not forecast gas; remove it");
            } else {
                problems.error(v, "unknown key '" + key + "' in budget (allowed: rlc)");
            }
        }
        return out;
    }
}
