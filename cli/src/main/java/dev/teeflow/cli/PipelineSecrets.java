package dev.teeflow.cli;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.run.SecretResolver;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.state.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pipeline's secrets for a command that prints what others wrote (a task's logs): every secret reference
 * of every step is resolved so that the output masks it, and a step's chain and wallet inputs are resolved to
 * talk to the chain as that step would.
 */
final class PipelineSecrets {
    private final Pipeline pipeline;
    private final CliContext ctx;
    private final SecretResolver resolver;

    PipelineSecrets(Pipeline pipeline, CliContext ctx, StateStore store) {
        this.pipeline = pipeline;
        this.ctx = ctx;
        this.resolver = new SecretResolver(ctx.env, pipeline.projectDir(), store, ctx.redactor);
    }

    /** Resolves (and so masks) every secret the pipeline names; warns about those it cannot read here. */
    void registerAll() {
        Set<SecretRef> refs = new LinkedHashSet<>();
        pipeline.steps().values().forEach(s -> collect(s.inputs(), refs));
        List<String> missing = new ArrayList<>();
        for (SecretRef ref : refs) {
            try {
                resolver.resolve(ref);
            } catch (TeeflowException e) {
                missing.add(ref.toString());
            }
        }
        if (!missing.isEmpty()) {
            ctx.terminal.err.println(ctx.terminal.yellow("warning: ") + "cannot read " + String.join(", ", missing)
                    + " here, so " + (missing.size() == 1 ? "its value is" : "their values are") + " not masked in what follows (the devnet worker masks the secrets"
                    + " it gave the app; a real workerpool may not)");
        }
    }

    /** The step's {@code chain} and {@code wallet} inputs with their secrets resolved. */
    Inputs chainAndWallet(StepSpec spec) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String key : List.of("chain", "wallet")) {
            Object v = spec.inputs().get(key);
            if (v != null) {
                values.put(key, resolve(v, spec.address()));
            }
        }
        return Inputs.of(spec.address(), pipeline.projectDir(), values);
    }

    private Object resolve(Object v, String owner) {
        if (v instanceof SecretRef s) {
            return resolver.resolve(s);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), resolve(val, owner)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(item -> resolve(item, owner)).toList();
        }
        if (v instanceof dev.teeflow.engine.model.Ref || v instanceof dev.teeflow.engine.model.Template) {
            throw new TeeflowException(owner + ": its chain or wallet refers to another step's output, which "
                    + "'teeflow logs' cannot follow");
        }
        return v;
    }

    private static void collect(Object v, Set<SecretRef> refs) {
        if (v instanceof SecretRef s) {
            refs.add(s);
        } else if (v instanceof Map<?, ?> m) {
            m.values().forEach(val -> collect(val, refs));
        } else if (v instanceof List<?> l) {
            l.forEach(item -> collect(item, refs));
        }
    }
}
