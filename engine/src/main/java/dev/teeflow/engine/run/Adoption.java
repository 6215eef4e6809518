package dev.teeflow.engine.run;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.run.AdoptionReport.Outcome;
import dev.teeflow.engine.run.AdoptionReport.Row;
import dev.teeflow.engine.spi.Adoptable;
import dev.teeflow.engine.spi.NothingToAdoptException;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.engine.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code teeflow import}: walks the graph in order and lets each step without a record take over what
 * already exists ({@link Adoptable}), recording it with the key the step has now, exactly as apply would
 * have after running it. A step is adopted whole or not at all: when its adoption fails, whatever it kept
 * (work files, secrets) is removed and no record is written. A step whose upstream was not adopted is left
 * to apply: its inputs are not known yet.
 */
final class Adoption {
    private final Session session;
    private final StepEvaluator evaluator;

    Adoption(Session session) {
        this.session = session;
        this.evaluator = new StepEvaluator(session);
    }

    AdoptionReport run() {
        Map<String, Outputs> known = new HashMap<>();
        List<Row> rows = new ArrayList<>();
        for (String address : session.graph.order()) {
            StepType type = session.graph.type(address);
            List<String> missing = session.graph.upstream(address).stream().filter(u -> !known.containsKey(u)).sorted().toList();
            if (!missing.isEmpty()) {
                rows.add(new Row(address, type.id(), Outcome.LEFT_TO_APPLY, "runs on apply after " + String.join(", ", missing)));
                continue;
            }
            rows.add(adoptOne(address, type, known));
        }
        return new AdoptionReport(rows);
    }

    private Row adoptOne(String address, StepType type, Map<String, Outputs> known) {
        Decision d = evaluator.evaluate(address, known::get, false, false);
        if (d.action() == Action.UP_TO_DATE) {
            known.put(address, d.recordedOutputs());
            return new Row(address, type.id(), Outcome.UP_TO_DATE, d.reason());
        }
        if (d.action() == Action.BLOCKED) {
            return new Row(address, type.id(), Outcome.REFUSED, d.reason());
        }
        if (d.record() != null || d.intent() != null) {
            return new Row(address, type.id(), Outcome.LEFT_TO_APPLY, "teeflow ran it before (" + d.reason()
                    + "); import adopts only steps teeflow never ran");
        }
        if (!(type instanceof Adoptable adoptable)) {
            return new Row(address, type.id(), Outcome.LEFT_TO_APPLY, session.graph.effect(address) == Effect.PURE
                    ? "runs on apply (it only works on this machine)"
                    : "runs on apply (teeflow cannot take this kind of step over from another tool)");
        }
        RunContext ctx = new RunContext(session, address, d.inputs(), d.key().value(), null, null, true);
        try {
            Outputs adopted = adoptable.adopt(ctx);
            adopted = adopted == null ? Outputs.none() : adopted;
            // What is recorded must be what plan will find up to date: the type's own check, before writing.
            dev.teeflow.engine.spi.Check check = type.verify(
                    new RunContext(session, address, d.inputs(), d.key().value(), adopted, null, false), adopted);
            if (!check.stillHolds()) {
                throw new TeeflowException(address + ": adopted, but its own check then failed: " + check.reason());
            }
            session.store.write(StepRecords.of(session, address, type, d.key(), adopted));
            known.put(address, adopted);
            return new Row(address, type.id(), Outcome.ADOPTED, "adopted");
        } catch (NothingToAdoptException e) {
            forget(address);
            return new Row(address, type.id(), Outcome.LEFT_TO_APPLY, session.redactor.redact(e.getMessage()));
        } catch (TeeflowException e) {
            forget(address);
            return new Row(address, type.id(), Outcome.REFUSED, session.redactor.redact(e.getMessage()));
        } catch (Exception e) {
            forget(address);
            return new Row(address, type.id(), Outcome.REFUSED,
                    session.redactor.redact(address + ": could not be checked (" + e.getMessage() + ")"));
        }
    }

    /** Removes what a failed adoption may have kept, so nothing half-adopted stays behind. */
    private void forget(String address) {
        StateStore store = session.store;
        String one = StateStore.secretKey(address, "x");
        for (String key : store.backend().list(one.substring(0, one.length() - 1))) {
            store.backend().delete(key);
        }
        Path work = store.workDir(address);
        if (Files.isDirectory(work)) {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new TeeflowException("cannot remove " + work + " after a failed import of " + address + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
