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
            CacheKey k = CacheKey.of(type.id(), type.version(), digests);
            key = new Decision.CacheKeyHolder(k.value(), k.digests());
        } catch (TeeflowException e) {
            return Decision.blocked(e.getMessage());
        }

        Optional<Intent> intent = session.store.readIntent(address).filter(i -> key.value().equals(i.key()));
        Action action;
        String reason;
        boolean restores = false;
        if (intent.isPresent()) {
            action = Action.RESUME;
            reason = "an interrupted run recorded " + new TreeSet<>(intent.get().values().keySet())
                    + " at " + intent.get().recordedAt() + "; picking it up";
        } else if (record == null) {
            action = read.isCorrupt() ? Action.RERUN : Action.CREATE;
            reason = read.isCorrupt() ? read.problem() + "; running again" : "new step";
        } else if (replace) {
            action = Action.RERUN;
            reason = "replacement requested";
        } else if (spec.always()) {
            action = Action.RERUN;
            reason = "always: true";
        } else if (record.typeVersion() != type.version()) {
            action = Action.RERUN;
            reason = "step type " + type.id() + " changed from version " + record.typeVersion() + " to " + type.version();
        } else if (!record.key().equals(key.value())) {
            action = Action.RERUN;
            reason = changeReason(spec, record.inputDigests(), key.digests());
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
                inputs, key, record, recorded, intent.map(Intent::values).orElse(null), restores);
    }

    /** Whether the recorded outputs still hold, and if not why. */
    private Check outputsCheck(String address, StepType type, Inputs inputs, String key,
                                         StepRecord record, Outputs recorded) {
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
        for (Object v : recorded.values().values()) {
            if (v instanceof dev.teeflow.engine.secret.SecretRef s && s.scheme().equals("step")) {
                int slash = s.name().lastIndexOf('/');
                if (session.store.readSecret(s.name().substring(0, slash), s.name().substring(slash + 1)).isEmpty()) {
                    return Check.gone("recorded secret " + s + " is missing from the state directory");
                }
            }
        }
        try {
            return type.verify(new RunContext(session, address, inputs, key, recorded, null, false), recorded);
        } catch (Exception e) {
            return Check.unknown("could not check the recorded outputs (" + e.getMessage() + ")");
        }
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
