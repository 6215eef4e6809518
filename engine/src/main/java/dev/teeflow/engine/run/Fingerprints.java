package dev.teeflow.engine.run;

import dev.teeflow.engine.hash.Hashing;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.StepFingerprint;
import dev.teeflow.engine.state.StepRecord;
import java.util.Map;
import java.util.TreeMap;

/** The digests a planned step is fingerprinted with: its cache key's parts and its recorded state. */
final class Fingerprints {
    private Fingerprints() {
    }

    /** A step the evaluator decided for: its resolved inputs and files, its upstream outputs, its record. */
    static StepFingerprint of(StepSpec spec, Decision d) {
        if (d.key() == null) { // inputs could not be resolved (blocked)
            return new StepFingerprint(written(spec), "unresolved", state(d.record()));
        }
        Map<String, String> inputs = new TreeMap<>();
        Map<String, String> upstream = new TreeMap<>();
        d.key().digests().forEach((name, digest) -> (name.startsWith("needs:") ? upstream : inputs).put(name, digest));
        return new StepFingerprint(Hashing.sha256Hex(inputs.toString()), Hashing.sha256Hex(upstream.toString()),
                state(d.record()));
    }

    /** A step whose upstream will run first: its written inputs (references, not values) and its record. */
    static StepFingerprint pending(StepSpec spec, StepRecord record) {
        return new StepFingerprint(written(spec), "pending", state(record));
    }

    private static String written(StepSpec spec) {
        return Hashing.sha256Hex(new TreeMap<>(spec.inputs()).toString() + "|needs=" + new java.util.TreeSet<>(spec.needs())
                + "|always=" + spec.always());
    }

    private static String state(StepRecord record) {
        return record == null ? "none" : Hashing.sha256Hex(record.key() + "|" + record.finishedAt());
    }
}
