package dev.teeflow.actions.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.actions.deploy.AppDeployStep;
import dev.teeflow.actions.order.OrderPublishStep;
import dev.teeflow.actions.secrets.DatasetKeyStep;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.StepType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A generic step of a chain type without chain/wallet is told the forms it accepts, in the pipeline's words. */
class GenericChainStepsTest {
    @Test
    void missingChainAndWalletNameTheAcceptedFormsAndNoJavaMethod() {
        for (StepType type : List.<StepType>of(new AppDeployStep(), new OrderPublishStep(), new DatasetKeyStep())) {
            Problems problems = new Problems();
            type.schema().check(StepSpec.of("s", type.id(), Map.of()), problems);
            type.validate(StepSpec.of("s", type.id(), Map.of()), problems);
            String all = problems.all().toString();
            assertThat(all).as(type.id()).contains("chain: { name: devnet }")
                    .contains("{ kind: private-key, private-key: { secret: env:NAME } }")
                    .doesNotContain("inputFor").doesNotContain("Targets.").doesNotContain("Wallets.");
        }
    }
}
