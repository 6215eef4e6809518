package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.spi.StepCost;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CostForecastTest {
    private static final BigInteger GWEI = BigInteger.TEN.pow(9);

    private static PlannedStep step(String address, String type, Action action, StepCost cost) {
        return new PlannedStep(address, type, Effect.EXTERNAL, action, "new", "detail text: costs 999 nRLC", List.of(), cost, null);
    }

    private static StepCost.Gas gas(String op, long units, StepCost.Kind kind) {
        return new StepCost.Gas(op, BigInteger.valueOf(units), GWEI, kind, kind == StepCost.Kind.BOUND ? "the call needs x" : "eth_estimateGas");
    }

    @Test
    void theTotalAddsTypedForecastsOfTheStepsThatWillRunNeverTheirTextAndNeverAnUnknownAsZero() {
        Plan plan = new Plan("p", List.of(
                step("app.a.deploy", "app.deploy", Action.CREATE, StepCost.of(null, List.of(gas("createApp", 300_000, StepCost.Kind.BOUND)))),
                step("run.a.deal", "run.deal", Action.CREATE, StepCost.of(StepCost.Amount.estimate(BigInteger.valueOf(2000), "now"),
                        List.of(gas("deposit", 50_000, StepCost.Kind.ESTIMATE), gas("matchOrders", 400_000, StepCost.Kind.BOUND)))),
                step("run.b.deal", "run.deal", Action.UP_TO_DATE, StepCost.of(StepCost.Amount.estimate(BigInteger.valueOf(999_999), "now"),
                        List.of(gas("matchOrders", 400_000, StepCost.Kind.ESTIMATE)))),
                step("run.c.deal", "run.deal", Action.CREATE, StepCost.of(StepCost.Amount.unknown("its volume is x.y, known only once that step runs"),
                        List.of(gas("matchOrders", 400_000, StepCost.Kind.BOUND)))),
                step("run.d.deal", "run.deal", Action.CREATE, StepCost.of(StepCost.Amount.bound(BigInteger.valueOf(500), "dearest order"),
                        List.of(new StepCost.Gas("matchOrders", null, null, StepCost.Kind.UNKNOWN, "no node"))))));
        CostForecast f = CostForecast.of(plan);
        assertThat(f.knownNrlc()).isEqualTo(BigInteger.valueOf(2500));
        assertThat(f.unknownPayments()).isEqualTo(1);
        assertThat(f.boundedPayments()).isEqualTo(1);
        // 300k + 50k + 400k + 400k gas at 1 gwei
        assertThat(f.knownWei()).isEqualTo(BigInteger.valueOf(1_150_000).multiply(GWEI));
        assertThat(f.unknownTransactions()).isEqualTo(1);
        assertThat(f.totalLine()).startsWith("This apply spends at most 2500 nRLC (0.0000025 RLC) and about 0.00115 ETH of gas")
                .contains("3 paying step(s), 1 priced by a bound, 1 that cannot be priced")
                .contains("5 transaction(s), 3 counted at their gas bound, 1 whose gas is unknown (not counted)");
        Map<String, Object> json = f.toJson();
        assertThat(json).containsEntry("known-nrlc", "2500").containsEntry("complete", false).containsEntry("bounded", true)
                .containsEntry("gas-wei", "1150000000000000").containsEntry("gas-eth", "0.00115").containsEntry("gas-complete", false);
        assertThat(json.get("steps").toString()).contains("address=run.c.deal").contains("nrlc=null, kind=unknown")
                .contains("operation=createApp, gas=300000, wei-per-gas=1000000000, wei=300000000000000, kind=bound")
                .doesNotContain("run.b.deal");
        assertThat(CostForecast.describe(plan.steps().get(1).cost())).isEqualTo("cost: pays 2000 nRLC (now); deposit 50000 gas"
                + " x 1 gwei = 0.00005 ETH (eth_estimateGas); matchOrders at most 400000 gas x 1 gwei = 0.0004 ETH (bound: the call needs x)");
    }

    @Test
    void aPlanWithoutCostingStepsHasNoCostLine() {
        assertThat(CostForecast.of(new Plan("p", List.of())).totalLine()).isNull();
        assertThat(CostForecast.of(new Plan("p", List.of(step("a", "command", Action.CREATE, null)))).totalLine()).isNull();
    }

    @Test
    void maxSpendIsGivenToEveryDealAndReadInRlc() {
        Map<String, StepSpec> steps = new LinkedHashMap<>();
        steps.put("run.a.deal", new StepSpec("run.a.deal", "run.deal", Map.of("app", "0x1"), Set.of(), false, null, null));
        steps.put("x", new StepSpec("x", "command", Map.of(), Set.of(), false, null, null));
        Pipeline p = new Pipeline("p", Path.of("p.yaml"), Path.of("."), steps);
        BigInteger nrlc = new MaxSpend.Rlc().convert("0.5");
        assertThat(nrlc).isEqualTo(BigInteger.valueOf(500_000_000));
        Pipeline capped = MaxSpend.apply(p, nrlc);
        assertThat(capped.steps().get("run.a.deal").inputs()).containsEntry("budget-nrlc", "500000000");
        assertThat(capped.steps().get("x").inputs()).doesNotContainKey("budget-nrlc");
        assertThat(MaxSpend.budget(capped)).contains(nrlc);
        assertThatThrownBy(() -> new MaxSpend.Rlc().convert("-1")).hasMessageContaining("not a number of RLC");
    }
}
