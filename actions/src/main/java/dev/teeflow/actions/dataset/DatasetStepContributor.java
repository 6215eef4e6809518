package dev.teeflow.actions.dataset;

import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import java.util.function.Consumer;

/**
 * Adds the steps of one concern (encrypt, publish, later deploy and push-secret) for each dataset of
 * the {@code dataset:} section. Each contributor reads its own fields through the shared
 * {@link MapReader}, so that fields no contributor reads are reported as unknown.
 */
public interface DatasetStepContributor {
    void contribute(DatasetBlock dataset, MapReader fields, Problems problems, Consumer<StepSpec> emit);
}
