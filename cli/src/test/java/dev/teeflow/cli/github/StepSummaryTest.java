package dev.teeflow.cli.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.run.StepOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StepSummaryTest {
    @Test
    void reportOfFiveThousandStepsWithLongMessagesIsTruncatedUnderTheLimit() {
        List<StepOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            outcomes.add(new StepOutcome("step" + i, StepOutcome.Status.FAILED, "é".repeat(300), Duration.ofMillis(i)));
        }
        String md = StepSummary.forReport("big", new Report(outcomes), Map.of(), StepSummary.GITHUB_LIMIT);
        assertThat(md.getBytes(StandardCharsets.UTF_8).length).isLessThan(StepSummary.GITHUB_LIMIT);
        assertThat(md).contains("| failed | `step0` |").containsPattern("\\d+ more steps are not shown").contains("too large to draw");
    }

    @Test
    void aPlannedRevocationIsARowLikeAnyOtherAndCountsAsToRun() {
        dev.teeflow.engine.plan.Plan plan = new dev.teeflow.engine.plan.Plan("p", List.of(
                new dev.teeflow.engine.plan.PlannedStep("dataset.d.deploy", "dataset.deploy", dev.teeflow.engine.model.Effect.EXTERNAL,
                        dev.teeflow.engine.plan.Action.UP_TO_DATE, "up to date", null, List.of()),
                new dev.teeflow.engine.plan.PlannedStep("dataset.d.order", "order.publish", dev.teeflow.engine.model.Effect.EXTERNAL,
                        dev.teeflow.engine.plan.Action.REVOKE, "no longer in the pipeline file",
                        "will revoke datasetorder 0xab; it allowed dataset 0x01 to any app", List.of())));
        String md = StepSummary.forPlan(plan, "flowchart LR\n", StepSummary.GITHUB_LIMIT);
        assertThat(md).contains("1 to run, 1 up to date, 0 blocked.")
                .contains("| revoke | `dataset.d.order` | order.publish | no longer in the pipeline file — will revoke datasetorder 0xab;"
                        + " it allowed dataset 0x01 to any app |");
    }

    @Test
    void smallReportHasTableAndColouredGraph() {
        Report r = new Report(List.of(new StepOutcome("a", StepOutcome.Status.DONE, "new step", Duration.ofMillis(1200)),
                new StepOutcome("b", StepOutcome.Status.FAILED, "boom | <b>\nsecond", Duration.ZERO)));
        String md = StepSummary.forReport("p", r, Map.of("b", Set.of("a")), StepSummary.GITHUB_LIMIT);
        assertThat(md).contains("## teeflow apply: p failed", "| done | `a` | 1.2s | new step |",
                "| failed | `b` | 0.0s | boom \\| &lt;b&gt;<br>second |", "s0 --> s1", "s1[\"b<br/><i>failed</i>\"]:::failed");
    }

    @Test
    void aPlanSummaryShowsTheTotalCostLineFromTheTypedForecasts() {
        var gas = new dev.teeflow.engine.spi.StepCost.Gas("matchOrders", java.math.BigInteger.valueOf(500_000),
                java.math.BigInteger.TEN.pow(9), dev.teeflow.engine.spi.StepCost.Kind.ESTIMATE, "eth_estimateGas");
        var cost = dev.teeflow.engine.spi.StepCost.of(dev.teeflow.engine.spi.StepCost.Amount.estimate(
                java.math.BigInteger.valueOf(1000), "now"), List.of(gas));
        var plan = new dev.teeflow.engine.plan.Plan("p", List.of(new dev.teeflow.engine.plan.PlannedStep("run.a.deal", "run.deal",
                dev.teeflow.engine.model.Effect.EXTERNAL, dev.teeflow.engine.plan.Action.CREATE, "new step", null, List.of(), cost, null)));
        String md = StepSummary.forPlan(plan, "graph TD", StepSummary.GITHUB_LIMIT);
        assertThat(md).contains("This apply spends at most 1000 nRLC (0.000001 RLC) and about 0.0005 ETH of gas"
                + " (1 paying step(s); 1 transaction(s)).");
    }
}
