package dev.teeflow.examples;

import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.engine.spi.TypeUpgrade;
import dev.teeflow.engine.testing.DelegatingStepType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every registered step type as it is, except that the world its recorded outputs live in (the chain,
 * the registry, the SMS of a devnet long gone) is taken to be unchanged, and running a step is a test
 * failure (or, for the golden keys, gives fixed outputs): what a plan or apply decides from the state
 * alone, keys included.
 */
final class WorldUnchanged extends DelegatingStepType {
    private final int version;
    private final TypeUpgrade upgrade;
    /** The pipeline's steps by address, when runs give fixed outputs; {@code null} when running is a failure. */
    private final Map<String, StepSpec> fixedOutputsOf;

    private WorldUnchanged(StepType type, int version, TypeUpgrade upgrade, Map<String, StepSpec> fixedOutputsOf) {
        super(type);
        this.version = version;
        this.upgrade = upgrade;
        this.fixedOutputsOf = fixedOutputsOf;
    }

    /** The registered types and sections; {@code newVersions} gives some types another version and upgrade. */
    static Registry registry(Map<String, Map.Entry<Integer, TypeUpgrade>> newVersions) {
        Registry real = Registry.load();
        List<StepType> types = new ArrayList<>();
        real.stepTypes().values().forEach(t -> {
            var v = newVersions.get(t.id());
            types.add(v == null ? new WorldUnchanged(t, t.version(), null, null)
                    : new WorldUnchanged(t, v.getKey(), v.getValue(), null));
        });
        return Registry.of(types, real.sectionTypes().values());
    }

    static Registry registry() {
        return registry(Map.of());
    }

    /**
     * The registered types, each of whose steps "runs" by giving {@code fixed:ADDRESS.OUTPUT} for every
     * output; {@code steps} (filled once the pipeline is loaded) says which outputs a step has.
     */
    static Registry withFixedOutputs(Map<String, StepSpec> steps) {
        Registry real = Registry.load();
        List<StepType> types = new ArrayList<>();
        real.stepTypes().values().forEach(t -> types.add(new WorldUnchanged(t, t.version(), null, steps)));
        return Registry.of(types, real.sectionTypes().values());
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public TypeUpgrade upgradeFrom(int recordedVersion) {
        return upgrade != null ? upgrade : type.upgradeFrom(recordedVersion);
    }

    @Override
    public Check verify(StepContext context, Outputs recorded) {
        return Check.holds();
    }

    @Override
    public String preview(StepContext context) {
        return null; // a forecast would ask the world
    }

    @Override
    public Outputs run(StepContext context) {
        if (fixedOutputsOf == null) {
            throw new AssertionError(context.address() + " must not run");
        }
        Outputs.Builder out = Outputs.builder();
        for (String name : new java.util.TreeSet<>(type.outputNames(fixedOutputsOf.get(context.address())))) {
            out.put(name, "fixed:" + context.address() + "." + name);
        }
        return out.build();
    }
}
