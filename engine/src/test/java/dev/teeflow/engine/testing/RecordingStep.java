package dev.teeflow.engine.testing;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A step type for engine tests. Output {@code value} = the input {@code value} (or "fixed" when
 * {@code constant: true}); {@code fail: true} makes it throw; {@code file} is hashed as an input file;
 * a secret input {@code secret} is used but never output. Every run is recorded in {@link #runs}.
 */
public final class RecordingStep implements StepType {
    public static final List<String> runs = new CopyOnWriteArrayList<>();
    public static final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();
    public static final java.util.concurrent.atomic.AtomicInteger peak = new java.util.concurrent.atomic.AtomicInteger();
    /** What {@link #verify} says per address: "gone", "restorable", "unknown", "throws"; holds otherwise. */
    public static final Map<String, String> checks = new java.util.concurrent.ConcurrentHashMap<>();
    private final String id;
    private final Effect effect;

    public RecordingStep(String id, Effect effect) {
        this.id = id;
        this.effect = effect;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Effect effect() {
        return effect;
    }

    @Override
    public Set<String> outputNames(StepSpec spec) {
        return Set.of("value");
    }

    @Override
    public List<InputFile> inputFiles(Inputs inputs) {
        return inputs.optionalPath("file").map(p -> List.of(InputFile.of("file", p))).orElse(List.of());
    }

    @Override
    public Outputs run(StepContext ctx) throws Exception {
        runs.add(ctx.address());
        Inputs in = ctx.inputs();
        if (in.bool("fail", false)) {
            throw new TeeflowException(ctx.address() + ": asked to fail");
        }
        if (in.bool("resumable", false)) {
            if (ctx.intent().isPresent()) {
                return Outputs.builder().put("value", "resumed " + ctx.intent().get().get("tx")).build();
            }
            ctx.recordIntent(Map.of("tx", "0xabc"));
            if (in.bool("crash-after-intent", false)) {
                throw new TeeflowException(ctx.address() + ": crashed while waiting");
            }
        }
        if (in.has("sleep")) {
            int now = active.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(in.number("sleep", 0));
            } finally {
                active.decrementAndGet();
            }
        }
        in.optionalSecret("secret").map(Secret::text).ifPresent(s -> ctx.log().info("using " + s));
        String value = in.bool("constant", false) ? "fixed" : in.string("value", ctx.address());
        return Outputs.builder().put("value", value).build();
    }

    @Override
    public dev.teeflow.engine.spi.Check verify(StepContext ctx, Outputs recorded) {
        return switch (checks.getOrDefault(ctx.address(), "holds")) {
            case "gone" -> dev.teeflow.engine.spi.Check.gone("gone from the world");
            case "restorable" -> dev.teeflow.engine.spi.Check.restorable("someone replaced it; running puts it back");
            case "unknown" -> dev.teeflow.engine.spi.Check.unknown("the service does not answer");
            case "throws" -> throw new TeeflowException("connection refused");
            default -> dev.teeflow.engine.spi.Check.holds();
        };
    }
}
