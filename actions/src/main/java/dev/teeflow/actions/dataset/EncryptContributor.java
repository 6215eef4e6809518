package dev.teeflow.actions.dataset;

import dev.teeflow.engine.config.InputValues;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** {@code file}, {@code key}, {@code iexec-layout} of a dataset: the {@code dataset.<name>.encrypt} step. */
final class EncryptContributor implements DatasetStepContributor {
    static final String STEP = "encrypt";

    @Override
    public void contribute(DatasetBlock dataset, MapReader fields, Problems problems, Consumer<StepSpec> emit) {
        int before = problems.all().size();
        Map<String, Object> inputs = new LinkedHashMap<>();
        // a path, or a reference to a step that makes the file (${{ make-data.file }}), so it runs first
        fields.requiredNode("file").ifPresent(n -> inputs.put("file", InputValues.read(n, problems)));
        fields.node("key").flatMap(n -> InputValues.secretRef(n, problems)).ifPresent(ref -> inputs.put("key", ref));
        if (fields.has("iexec-layout")) {
            inputs.put("iexec-layout", fields.bool("iexec-layout", false));
        }
        if (problems.all().size() == before) {
            emit.accept(new StepSpec(dataset.address(STEP), EncryptDatasetStep.ID, inputs, Set.of(), false,
                    dataset.node().location(), dataset.node()));
        }
    }
}
