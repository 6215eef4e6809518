package dev.teeflow.cli;

import dev.teeflow.actions.run.BudgetSection;
import dev.teeflow.dsl.PipelineLoader;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Pipeline;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Before apply sends anything: the plan's forecast against the budgets ({@code budget.rlc} or
 * {@code --max-spend}, {@code budget.gas-eth}). Over either, nothing is sent at all.
 */
final class SpendingCheck {
    private final Optional<BigInteger> nrlc;
    private final Optional<BigInteger> gasWei;

    private SpendingCheck(Optional<BigInteger> nrlc, Optional<BigInteger> gasWei) {
        this.nrlc = nrlc;
        this.gasWei = gasWei;
    }

    /** The budgets of {@code p} (its deal steps carry the RLC one; the file's budget block the gas one). */
    static SpendingCheck of(Pipeline p) {
        Optional<BigInteger> gas = Optional.empty();
        if (p.file() != null) {
            // read from the file as written: a budget that is not a plain number is refused, never ignored
            Problems problems = new Problems();
            gas = BudgetSection.gasWei(new PipelineLoader().parse(p.file()), problems);
            if (!problems.all().isEmpty()) {
                throw new dev.teeflow.engine.TeeflowException(problems.all().get(0)
                        + " (budget.gas-eth is read as written: a number, not a ${{ }} expression)");
            }
        }
        return new SpendingCheck(MaxSpend.budget(p), gas);
    }

    boolean any() {
        return nrlc.isPresent() || gasWei.isPresent();
    }

    /** Why the forecast is over a budget, or empty when it fits. */
    Optional<String> refusal(CostForecast forecast) {
        if (nrlc.isPresent() && forecast.knownNrlc().compareTo(nrlc.get()) > 0) {
            return Optional.of("nothing was sent: the deals of this apply cost " + forecast.knownNrlc()
                    + " nRLC (" + CostForecast.rlc(forecast.knownNrlc()) + ") at the orders' current prices, over the"
                    + " budget of " + nrlc.get() + " nRLC (" + CostForecast.rlc(nrlc.get()) + ", budget.rlc or --max-spend)");
        }
        if (gasWei.isPresent()) {
            String budget = " the budget of " + CostForecast.eth(gasWei.get()) + " (budget.gas-eth)";
            if (forecast.unknownTransactions() > 0) {
                return Optional.of("nothing was sent: the gas of " + forecast.unknownTransactions()
                        + " transaction(s) of this apply cannot be forecast (see 'teeflow plan'), so it cannot be"
                        + " checked against" + budget);
            }
            if (forecast.knownWei().compareTo(gasWei.get()) > 0) {
                return Optional.of("nothing was sent: the transactions of this apply cost about "
                        + CostForecast.eth(forecast.knownWei()) + " of gas at the chain's current gas price ("
                        + forecast.boundedTransactions() + " of them counted at their gas bound), over" + budget);
            }
        }
        return Optional.empty();
    }
}
