package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.plan.PlannedStep;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CostForecastTest {
    private static PlannedStep deal(String address, Action action, String detail) {
        return new PlannedStep(address, "run.deal", Effect.EXTERNAL, action, "new", detail, List.of());
    }

    @Test
    void theTotalAddsTheDealsThatWillRunAndCountsAnUnpricedOneAsUnknownNeverZero() {
        Plan plan = new Plan("p", List.of(
                deal("run.a.deal", Action.CREATE, "match app 0x..; costs 2000 nRLC (0.000002 RLC): (app 0 + dataset 1000 ..."),
                deal("run.b.deal", Action.UP_TO_DATE, "costs 999999 nRLC"),
                deal("run.c.deal", Action.CREATE, "match app ?; cost not known before the steps it depends on run (app.x.deploy)")));
        CostForecast f = CostForecast.of(plan);
        assertThat(f.knownNrlc()).isEqualTo(BigInteger.valueOf(2000));
        assertThat(f.unknownCount()).isEqualTo(1);
        assertThat(f.totalLine()).startsWith("This apply pays at least 2000 nRLC (0.000002 RLC) for the deals priced now; 1 deal(s)");
        Map<String, Object> json = f.toJson();
        assertThat(json).containsEntry("known-nrlc", "2000").containsEntry("complete", false);
        assertThat(json.get("deals").toString()).contains("nrlc=null").contains("app.x.deploy");
    }

    @Test
    void aPlanWithoutDealsHasNoCostLine() {
        assertThat(CostForecast.of(new Plan("p", List.of())).totalLine()).isNull();
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
