package dev.teeflow.engine.run;

import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.engine.spi.TypeUpgrade;
import dev.teeflow.engine.state.NewerStateException;
import dev.teeflow.engine.state.StepRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Judges a record made under another key scheme or by another version of its step type. A new teeflow
 * must never turn "the key is computed another way" into "pay again": the record's key is recomputed the
 * way it was made (its scheme, its type version) from today's input digests; when it matches, nothing
 * the step depends on changed, and the record stands (re-keyed) as long as its outputs still hold.
 */
final class RecordVersions {
    /**
     * The verdict.
     *
     * @param action {@link Action#UP_TO_DATE} when the record stands if its outputs still hold; otherwise
     *     what to do
     * @param note what changed in teeflow ("teeflow upgraded: key scheme 1 -> 2")
     * @param reason for an action other than up-to-date, why; {@code null} when the inputs changed
     *     (the evaluator names them)
     * @param upgraded the record keyed again under today's scheme and type version, when it stands
     */
    record Verdict(Action action, String note, String reason, StepRecord upgraded) {
    }

    private RecordVersions() {
    }

    /** Whether the record was made under another key scheme or type version than {@code scheme} and {@code type}'s. */
    static boolean differ(StepRecord record, StepType type, int scheme) {
        return record.keyScheme() != scheme || record.typeVersion() != type.version();
    }

    static Verdict judge(String address, StepRecord record, StepType type, Effect effect, CacheKey now, int scheme) {
        String what = "the record of " + address;
        if (record.keyScheme() > scheme) {
            throw new NewerStateException(what, "key scheme", record.keyScheme(), scheme);
        }
        if (record.typeVersion() > type.version()) {
            throw new NewerStateException(what, "step type " + type.id() + " version", record.typeVersion(), type.version());
        }
        List<String> changes = new ArrayList<>();
        if (record.keyScheme() != scheme) {
            changes.add("teeflow upgraded: key scheme " + record.keyScheme() + " -> " + scheme);
        }
        boolean newVersion = record.typeVersion() != type.version();
        if (newVersion) {
            changes.add("step type " + type.id() + " " + record.typeVersion() + " -> " + type.version());
        }
        String note = String.join(", ", changes);
        if (newVersion && effect == Effect.PURE) {
            return new Verdict(Action.RERUN, note, note + "; a pure step runs again under a new version", null);
        }
        Map<String, String> digestsThen = now.digests();
        if (newVersion) {
            TypeUpgrade upgrade = type.upgradeFrom(record.typeVersion());
            if (upgrade.redo()) {
                return new Verdict(Action.REPLACE, note, note + ": " + upgrade.reason(), null);
            }
            digestsThen = withoutInputs(digestsThen, upgrade.newInputs());
        }
        if (record.keyScheme() < CacheKey.OLDEST_COMPARABLE_SCHEME) {
            String cannot = note + "; its inputs were digested in a way this teeflow no longer computes";
            return effect == Effect.PURE
                    ? new Verdict(Action.RERUN, note, cannot + ", so it runs again", null)
                    : new Verdict(Action.BLOCKED, note, cannot + ", so it cannot tell whether they changed: "
                            + "check them, then run `teeflow apply --replace " + address + "` to do it again", null);
        }
        String then = CacheKey.of(record.keyScheme(), type.id(), record.typeVersion(), digestsThen).value();
        if (!then.equals(record.key())) {
            return new Verdict(Action.RERUN, note, null, null);
        }
        return new Verdict(Action.UP_TO_DATE, note, null,
                record.rekeyed(scheme, type.version(), now.value(), now.digests()));
    }

    /** The digests the old version knew: those of inputs added since left out. */
    private static Map<String, String> withoutInputs(Map<String, String> digests, Set<String> inputs) {
        Map<String, String> out = new TreeMap<>(digests);
        for (String input : inputs) {
            out.remove("in:" + input);
            out.remove("file:" + input);
        }
        return out;
    }

    /**
     * Whether {@code recordedKey} (of an intent, which names neither) was made from today's digests under
     * any scheme and type version this teeflow can compute, up to today's.
     */
    static boolean sameInputs(String recordedKey, StepType type, Map<String, String> digests, int scheme) {
        for (int s = CacheKey.OLDEST_COMPARABLE_SCHEME; s <= scheme; s++) {
            for (int v = 1; v <= type.version(); v++) {
                if (CacheKey.of(s, type.id(), v, digests).value().equals(recordedKey)) {
                    return true;
                }
            }
        }
        return false;
    }
}
