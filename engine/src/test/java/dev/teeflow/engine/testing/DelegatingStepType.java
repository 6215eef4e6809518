package dev.teeflow.engine.testing;

import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.engine.spi.TypeUpgrade;
import java.util.List;
import java.util.Set;

/**
 * A step type that does what {@code type} does; tests override the part they change (its version, how it
 * upgrades, what it finds in the world, what running it does).
 */
public class DelegatingStepType implements StepType {
    protected final StepType type;

    public DelegatingStepType(StepType type) {
        this.type = type;
    }

    @Override
    public String id() {
        return type.id();
    }

    @Override
    public int version() {
        return type.version();
    }

    @Override
    public TypeUpgrade upgradeFrom(int recordedVersion) {
        return type.upgradeFrom(recordedVersion);
    }

    @Override
    public Effect effect() {
        return type.effect();
    }

    @Override
    public Effect effectOf(StepSpec spec) {
        return type.effectOf(spec);
    }

    @Override
    public dev.teeflow.engine.spi.StepSchema schema() {
        return type.schema();
    }

    @Override
    public Set<String> outputNames(StepSpec spec) {
        return type.outputNames(spec);
    }

    @Override
    public void validate(StepSpec spec, Problems problems) {
        type.validate(spec, problems);
    }

    @Override
    public Set<String> unkeyedInputs() {
        return type.unkeyedInputs();
    }

    @Override
    public List<InputFile> inputFiles(Inputs inputs) {
        return type.inputFiles(inputs);
    }

    @Override
    public Check verify(StepContext context, Outputs recorded) throws Exception {
        return type.verify(context, recorded);
    }

    @Override
    public String preview(StepContext context) throws Exception {
        return type.preview(context);
    }

    @Override
    public dev.teeflow.engine.spi.StepCost cost(StepContext context,
                                                java.util.Map<String, dev.teeflow.engine.spi.PendingInput> pending) throws Exception {
        return type.cost(context, pending);
    }

    @Override
    public Outputs run(StepContext context) throws Exception {
        return type.run(context);
    }

    /** {@code type} as a later teeflow would ship it: version {@code version}, upgrading as {@code upgrade} says. */
    public static StepType atVersion(StepType type, int version, TypeUpgrade upgrade) {
        return new DelegatingStepType(type) {
            @Override
            public int version() {
                return version;
            }

            @Override
            public TypeUpgrade upgradeFrom(int recordedVersion) {
                return upgrade;
            }
        };
    }
}
