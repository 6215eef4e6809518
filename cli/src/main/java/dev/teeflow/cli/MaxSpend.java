package dev.teeflow.cli;

import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.StepSpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --max-spend RLC}: the budget of this apply, over the file's {@code budget.rlc}. It is given to
 * every deal step (an input outside its cache key, so a new budget never re-runs a done deal).
 */
final class MaxSpend {
    static final String BUDGET_INPUT = "budget-nrlc";

    private MaxSpend() {
    }

    /** Reads {@code --max-spend}: a number of RLC, as nRLC. */
    static final class Rlc implements picocli.CommandLine.ITypeConverter<BigInteger> {
        @Override
        public BigInteger convert(String rlc) {
            try {
                BigDecimal v = new BigDecimal(rlc.strip());
                if (v.signum() >= 0) {
                    return v.multiply(BigDecimal.TEN.pow(9)).toBigInteger();
                }
            } catch (NumberFormatException e) {
                // the message below
            }
            throw new picocli.CommandLine.TypeConversionException("'" + rlc
                    + "' is not a number of RLC (0 or more), e.g. --max-spend 2.5");
        }
    }

    static Pipeline apply(Pipeline p, BigInteger nrlc) {
        Map<String, StepSpec> steps = new LinkedHashMap<>();
        p.steps().forEach((address, s) -> {
            if (CostForecast.DEAL_TYPE.equals(s.type())) {
                Map<String, Object> inputs = new LinkedHashMap<>(s.inputs());
                inputs.put(BUDGET_INPUT, nrlc.toString());
                s = new StepSpec(s.address(), s.type(), inputs, s.needs(), s.always(), s.location(), s.source());
            }
            steps.put(address, s);
        });
        return new Pipeline(p.name(), p.file(), p.projectDir(), steps, p.pathsMayLeaveProject(), p.state());
    }

    /** The lowest budget any deal step of the pipeline carries. */
    static Optional<BigInteger> budget(Pipeline p) {
        return p.steps().values().stream().filter(s -> CostForecast.DEAL_TYPE.equals(s.type()))
                .map(s -> s.inputs().get(BUDGET_INPUT)).filter(v -> v != null)
                .map(v -> new BigInteger(String.valueOf(v))).min(BigInteger::compareTo);
    }
}
