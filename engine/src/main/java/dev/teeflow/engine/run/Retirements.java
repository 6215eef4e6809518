package dev.teeflow.engine.run;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.spi.Retirable;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.engine.state.Intent;
import dev.teeflow.engine.state.OutputCodec;
import dev.teeflow.engine.state.StepRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records whose step the pipeline no longer declares, of a {@link Retirable} type: the plan shows each as
 * {@code revoke}, apply takes back what it left in the world and then drops the record. Records of other
 * types are left alone, as before.
 */
final class Retirements {
    static final String REASON = "no longer in the pipeline file";

    private final Session session;
    private final Registry registry;

    Retirements(Session session, Registry registry) {
        this.session = session;
        this.registry = registry;
    }

    /** One recorded step to retire: its record, its type, what the plan says about it. */
    record Retiree(String address, StepRecord record, Retirable type, StepType stepType, Outputs outputs) {
    }

    /** Every recorded step the graph no longer has whose type takes something back. */
    List<Retiree> orphans() {
        List<Retiree> out = new ArrayList<>();
        for (String name : session.store.addresses()) {
            if (session.graph.spec(name) != null) {
                continue;
            }
            find(name).ifPresent(out::add);
        }
        return out;
    }

    /** The recorded step at {@code address}, when it has a record of a type that takes something back. */
    Optional<Retiree> find(String address) {
        StepRecord record = session.store.read(address).record();
        if (record == null) {
            return Optional.empty();
        }
        Optional<StepType> type = registry.stepType(record.type());
        if (type.isEmpty() || !(type.get() instanceof Retirable r)) {
            return Optional.empty();
        }
        Outputs outputs = OutputCodec.decode(record.outputs(), session.projectDir);
        return Optional.of(new Retiree(record.address(), record, r, type.get(), outputs));
    }

    PlannedStep planned(Retiree r, String reason) {
        String detail;
        try {
            detail = r.type().retirePreview(r.outputs());
        } catch (RuntimeException e) {
            detail = "cannot say what: " + e.getMessage();
        }
        return new PlannedStep(r.address(), r.stepType().id(), Effect.EXTERNAL, Action.REVOKE, reason,
                detail == null ? null : session.redactor.redact(detail), List.of());
    }

    /** Retires one recorded step and drops its record; the outcome says how it went. */
    StepOutcome retire(Retiree r, String reason) {
        Instant start = Instant.now();
        session.listener.stepStarted(planned(r, reason));
        try {
            Object with = r.outputs().get(Retirable.RETIRE_WITH);
            if (!(with instanceof Map<?, ?> m)) {
                throw new TeeflowException("its record was written by an older teeflow and does not say which chain and"
                        + " wallet to use: put the block back with revoke: true and apply, then remove the block");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> written = (Map<String, Object>) m;
            Map<String, Object> resolved = new InputResolver(r.address(), session.projectDir, a -> null, session.secrets)
                    .resolve(written);
            Inputs inputs = session.pathsMayLeaveProject
                    ? Inputs.allowingOutsidePaths(r.address(), session.projectDir, resolved)
                    : Inputs.of(r.address(), session.projectDir, resolved);
            Map<String, Object> intent = session.store.readIntent(r.address()).map(Intent::values).orElse(null);
            RunContext ctx = new RunContext(session, r.address(), inputs, r.record().key(), r.outputs(), intent, true);
            r.type().retire(ctx);
            session.store.delete(r.address());
            return new StepOutcome(r.address(), StepOutcome.Status.DONE, "revoked (" + reason + ")",
                    Duration.between(start, Instant.now()));
        } catch (Exception e) {
            String message = e instanceof TeeflowException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            return new StepOutcome(r.address(), StepOutcome.Status.FAILED,
                    session.redactor.redact("cannot revoke: " + message), Duration.between(start, Instant.now()));
        }
    }
}
