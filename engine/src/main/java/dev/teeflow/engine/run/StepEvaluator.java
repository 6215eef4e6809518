package dev.teeflow.engine.run;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.graph.References;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.engine.state.Intent;
import dev.teeflow.engine.state.OutputCodec;
import dev.teeflow.engine.state.StateStore;
import dev.teeflow.engine.state.StepRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Decides for one step, given its upstream steps' outputs, whether it is up to date and if not why:
 * resolves its inputs, computes its cache key, compares with the record, and checks the recorded
 * outputs still hold. Shared by plan and apply so that both always agree.
 */
final class StepEvaluator {
    private final Session session;

    StepEvaluator(Session session) {
        this.session = session;
    }

    Decision evaluate(String address, Function<String, Outputs> upstreamOutputs, boolean replace, boolean preview) {
        StepSpec spec = session.graph.spec(address);
        StepType type = session.graph.type(address);
        StateStore.Read read = session.store.read(address);
        StepRecord record = read.record();
        Outputs recorded = record == null ? null : OutputCodec.decode(record.outputs(), session.projectDir);

        Inputs inputs;
        Decision.CacheKeyHolder key;
        try {
            Map<String, Object> resolved = new InputResolver(address, session.projectDir, upstreamOutputs, session.secrets)
                    .resolve(spec.inputs());
            inputs = session.pathsMayLeaveProject
                    ? Inputs.allowingOutsidePaths(address, session.projectDir, resolved)
                    : Inputs.of(address, session.projectDir, resolved);
            Map<String, String> digests = new TreeMap<>(CacheKey.inputDigests(resolved, session.projectKey()));
            type.unkeyedInputs().forEach(name -> digests.remove("in:" + name));
            for (InputFile f : type.inputFiles(inputs)) {
                digests.put("file:" + f.name(), session.hasher.hashPath(f.path(), f.include()));
            }
            for (String need : spec.needs()) {
                Outputs o = upstreamOutputs.apply(need);
                Map<String, Object> encoded = o == null ? Map.of() : OutputCodec.encode(o, session.projectDir);
                digests.put("needs:" + need, dev.teeflow.engine.hash.Hashing.sha256Hex(
                        CacheKey.canonical(encoded, session.projectKey())));
            }
            CacheKey k = CacheKey.of(session.keyScheme, type.id(), type.version(), digests);
            key = new Decision.CacheKeyHolder(k.value(), k.digests());
        } catch (TeeflowException e) {
            return Decision.blocked(e.getMessage());
        }

        java.util.function.Predicate<Intent> sameInputs =
                i -> RecordVersions.sameInputs(i.key(), type, key.digests(), session.keyScheme);
        Optional<Intent> intent = session.store.readIntent(address).filter(sameInputs);
        Optional<Intent> finished = record == null && read.isCorrupt() && intent.isEmpty()
                ? FinishedIntents.of(session.store, address, sameInputs) : Optional.empty();
        Action action;
        String reason;
        StepRecord upgraded = null;
        boolean restores = false;
        if (finished.isPresent()) {
            // The record is lost, but what the step recorded as it finished is not: recover, never act again.
            intent = finished;
            action = Action.RESUME;
            reason = read.problem() + "; recovering from what the step recorded when it finished "
                    + new TreeSet<>(finished.get().values().keySet()) + " at " + finished.get().recordedAt();
        } else if (intent.isPresent()) {
            action = Action.RESUME;
            reason = "an interrupted run recorded " + new TreeSet<>(intent.get().values().keySet())
                    + " at " + intent.get().recordedAt() + "; picking it up";
        } else if (record == null && read.isCorrupt() && Engine.isExternal(session.graph, address)) {
            // It may have paid, deployed or pushed already: unknown is "stop", never "pay again".
            return Decision.blocked(read.problem() + "; this step acts outside (a payment, a deploy, a push) and may"
                    + " already have done so, so it is not run again blindly: run 'teeflow state repair " + address
                    + "' to see what is known and choose");
        } else if (record == null) {
            action = read.isCorrupt() ? Action.RERUN : Action.CREATE;
            reason = read.isCorrupt() ? read.problem() + "; running again" : "new step";
        } else if (replace) {
            action = Action.RERUN;
            reason = "replacement requested";
        } else if (spec.always()) {
            action = Action.RERUN;
            reason = "always: true";
        } else if (RecordVersions.differ(record, type, session.keyScheme)) {
            RecordVersions.Verdict v = RecordVersions.judge(address, record, type, session.graph.effect(address),
                    CacheKey.of(session.keyScheme, type.id(), type.version(), key.digests()), session.keyScheme);
            if (v.action() == Action.UP_TO_DATE) {
                Check check = outputsCheck(address, type, inputs, key.value(), record, recorded);
                action = check.stillHolds() ? Action.UP_TO_DATE : check.unknown() ? Action.BLOCKED : Action.RERUN;
                reason = v.note() + "; " + (check.stillHolds() ? "inputs unchanged, outputs still hold"
                        : check.unknown() ? "unknown: " + check.reason() : check.reason());
                upgraded = check.stillHolds() ? v.upgraded() : null;
                restores = check.restorable();
            } else {
                action = v.action();
                reason = v.reason() != null ? v.reason()
                        : v.note() + "; " + changeReason(spec, record.inputDigests(), key.digests());
            }
        } else if (!record.key().equals(key.value())) {
            action = Action.RERUN;
            reason = changeReason(spec, record.inputDigests(), key.digests());
        } else if (damagedSecret(recorded).isPresent()) {
            return Decision.blocked(session.redactor.redact(damagedSecret(recorded).get()));
        } else {
            Check check = outputsCheck(address, type, inputs, key.value(), record, recorded);
            // What could not be checked is unknown: stop here, never run (and maybe pay) again because of it.
            action = check.stillHolds() ? Action.UP_TO_DATE : check.unknown() ? Action.BLOCKED : Action.RERUN;
            reason = check.stillHolds() ? "inputs unchanged, outputs still hold"
                    : check.unknown() ? "unknown: " + check.reason() : check.reason();
            restores = check.restorable();
        }

        String detail = null;
        if (preview && action.willRun()) {
            try {
                detail = type.preview(new RunContext(session, address, inputs, key.value(), recorded, null, false));
            } catch (Exception e) {
                detail = "(no forecast: " + session.redactor.redact(String.valueOf(e.getMessage())) + ")";
            }
        }
        return new Decision(action, session.redactor.redact(reason), detail == null ? null : session.redactor.redact(detail),
                inputs, key, record, recorded, intent.map(Intent::values).orElse(null), upgraded, restores);
    }

    /**
     * The step type's cost forecast for a step that will run with {@code inputs}; a forecast that fails is
     * "unknown" with the reason, never zero.
     */
    dev.teeflow.engine.spi.StepCost cost(String address, Inputs inputs, Outputs recorded) {
        return cost(address, inputs, recorded, Map.of());
    }

    /**
     * The cost forecast of a step whose upstream steps in {@code pendingSteps} will run first: its inputs
     * that need their outputs are left out and named, so the type can give a bound with the reason.
     */
    dev.teeflow.engine.spi.StepCost costWhilePending(String address, Function<String, Outputs> known,
                                                     java.util.Set<String> pendingSteps) {
        if (!forecastsCost(session.graph.type(address))) {
            return null; // nothing to resolve for a type that costs nothing (most steps of a large plan)
        }
        StepSpec spec = session.graph.spec(address);
        Map<String, Object> resolved = new java.util.LinkedHashMap<>();
        Map<String, dev.teeflow.engine.spi.PendingInput> pending = new java.util.LinkedHashMap<>();
        InputResolver resolver = new InputResolver(address, session.projectDir, known, session.secrets);
        for (var e : spec.inputs().entrySet()) {
            Optional<dev.teeflow.engine.model.Ref> waiting = References.in(e.getValue()).stream()
                    .filter(r -> pendingSteps.contains(r.address())).findFirst();
            if (waiting.isPresent()) {
                String step = waiting.get().address();
                pending.put(e.getKey(), new dev.teeflow.engine.spi.PendingInput(step,
                        session.graph.spec(step).type(), waiting.get().output()));
                continue;
            }
            try {
                resolved.putAll(resolver.resolve(Map.of(e.getKey(), e.getValue())));
            } catch (TeeflowException unresolvable) {
                // left out: a type that needs it says its cost is unknown, with its own reason
            }
        }
        Inputs inputs = session.pathsMayLeaveProject
                ? Inputs.allowingOutsidePaths(address, session.projectDir, resolved)
                : Inputs.of(address, session.projectDir, resolved);
        return cost(address, inputs, null, pending);
    }

    /** Whether {@code type} gives a cost forecast at all (overrides {@link StepType#cost}). */
    private static boolean forecastsCost(StepType type) {
        try {
            return type.getClass().getMethod("cost", dev.teeflow.engine.spi.StepContext.class, Map.class)
                    .getDeclaringClass() != StepType.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private dev.teeflow.engine.spi.StepCost cost(String address, Inputs inputs, Outputs recorded,
                                                 Map<String, dev.teeflow.engine.spi.PendingInput> pending) {
        StepType type = session.graph.type(address);
        try {
            return type.cost(new RunContext(session, address, inputs, null, recorded, null, false), pending);
        } catch (Exception e) {
            return dev.teeflow.engine.spi.StepCost.unknown(session.redactor.redact(String.valueOf(e.getMessage())));
        }
    }

    /** Why a secret this step made and recorded is damaged, if one is: the plan shows it, nothing uses it. */
    private Optional<String> damagedSecret(Outputs recorded) {
        for (Object v : recorded.values().values()) {
            if (v instanceof dev.teeflow.engine.secret.SecretRef s && s.scheme().equals("step")) {
                int slash = s.name().lastIndexOf('/');
                Optional<String> damage = session.stepSecrets.damage(s.name().substring(0, slash), s.name().substring(slash + 1));
                if (damage.isPresent()) {
                    return damage;
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the recorded outputs still hold, and if not why. */
    private Check outputsCheck(String address, StepType type, Inputs inputs, String key,
                                         StepRecord record, Outputs recorded) {
        Check files = filesCheck(record);
        for (Object v : recorded.values().values()) {
            if (v instanceof dev.teeflow.engine.secret.SecretRef s && s.scheme().equals("step")) {
                int slash = s.name().lastIndexOf('/');
                if (session.store.readSecret(s.name().substring(0, slash), s.name().substring(slash + 1)).isEmpty()) {
                    return Check.gone("recorded secret " + s + " is missing from the state directory");
                }
            }
        }
        Check typed;
        try {
            typed = type.verify(new RunContext(session, address, inputs, key, recorded, null, false), recorded);
        } catch (Exception e) {
            typed = Check.unknown("could not check the recorded outputs (" + e.getMessage() + ")");
        }
        // A missing or changed output file is gone, unless the step type says running it puts back the same bytes.
        return files.stillHolds() || typed.restorable() ? typed : files;
    }

    private Check filesCheck(StepRecord record) {
        if (record.files() != null) {
            for (var e : record.files().entrySet()) {
                Path p = session.projectDir.resolve(e.getValue().path()).normalize();
                if (!Files.isRegularFile(p)) {
                    return Check.gone("output '" + e.getKey() + "' (" + e.getValue().path() + ") is missing");
                }
                if (!session.hasher.hashFile(p).equals(e.getValue().sha256())) {
                    return Check.gone("output '" + e.getKey() + "' (" + e.getValue().path() + ") was changed outside teeflow");
                }
            }
        }
        return Check.holds();
    }

    /** "input 'file' changed", "file 'context' changed", "upstream a.b changed (input 'checksum')"... */
    private static String changeReason(StepSpec spec, Map<String, String> before, Map<String, String> after) {
        List<String> reasons = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>();
        if (before != null) {
            names.addAll(before.keySet());
        }
        names.addAll(after.keySet());
        for (String name : names) {
            String b = before == null ? null : before.get(name);
            String a = after.get(name);
            if (a != null && a.equals(b)) {
                continue;
            }
            String what = describe(spec, name);
            reasons.add(b == null ? what + " added" : a == null ? what + " removed" : what + " changed");
        }
        return reasons.isEmpty() ? "inputs changed" : String.join(", ", reasons);
    }

    private static String describe(StepSpec spec, String digestName) {
        if (digestName.startsWith("in:")) {
            String input = digestName.substring(3);
            TreeSet<String> from = new TreeSet<>();
            References.in(spec.inputs().get(input)).forEach(r -> from.add(r.address()));
            return from.isEmpty() ? "input '" + input + "'" : "upstream " + String.join(", ", from) + " (input '" + input + "')";
        }
        if (digestName.startsWith("file:")) {
            return "content of '" + digestName.substring(5) + "'";
        }
        if (digestName.startsWith("needs:")) {
            return "upstream " + digestName.substring(6);
        }
        return digestName;
    }
}
