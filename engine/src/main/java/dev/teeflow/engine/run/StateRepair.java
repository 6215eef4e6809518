package dev.teeflow.engine.run;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.state.Intent;
import dev.teeflow.engine.state.NewerStateException;
import dev.teeflow.engine.state.StateStore;
import dev.teeflow.engine.state.StepRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code teeflow state repair ADDR}: what the state knows about one step whose record or kept secret is
 * damaged, and the explicit choices a person makes about it, on any backend (the caller holds the state's
 * lock). Nothing is deleted: what is set aside is moved to {@code <key>.damaged-<time>} so that it can still be
 * looked at (a file beside the original in a local state directory; a remote backend also keeps its history).
 */
public final class StateRepair {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String ASIDE = ".damaged-";

    private final StateStore store;
    private final StepSecrets secrets;

    public StateRepair(StateStore store) {
        this.store = store;
        this.secrets = new StepSecrets(store, store::projectKey);
    }

    /** One line per fact: the record, the intent of an interrupted run, each kept secret. */
    public List<String> report(String address) {
        List<String> lines = new ArrayList<>();
        Optional<String> damage = recordDamage(address);
        StepRecord record = damage.isPresent() ? null : store.read(address).record();
        if (damage.isPresent()) {
            lines.add("record: DAMAGED: " + damage.get());
        } else if (record == null) {
            lines.add("record: none (the step never finished, or the address is wrong)");
        } else {
            lines.add("record: intact (" + record.type() + ", finished " + record.finishedAt() + ")");
        }
        try {
            Optional<Intent> intent = store.readIntent(address);
            lines.add(intent.map(i -> "intent: an interrupted run recorded " + i.values().keySet() + " at " + i.recordedAt()
                    + " (the next apply picks it up)").orElse("intent: none"));
        } catch (TeeflowException e) {
            lines.add("intent: DAMAGED: " + e.getMessage());
        }
        try {
            store.readIntent(address + FinishedIntents.SUFFIX).ifPresent(i -> lines.add("finished intent: "
                    + i.values().keySet() + " recorded at " + i.recordedAt() + " (a damaged record is recovered from it)"));
        } catch (TeeflowException e) {
            lines.add("finished intent: DAMAGED: " + e.getMessage());
        }
        for (String name : secretNames(address)) {
            lines.add("kept secret '" + name + "': " + secrets.damage(address, name).map(d -> "DAMAGED").orElse("intact"));
        }
        return lines;
    }

    /** True when something about the step is damaged. */
    public boolean isDamaged(String address) {
        return report(address).stream().anyMatch(l -> l.contains("DAMAGED"));
    }

    /** Sets the damaged record aside: the step runs again on the next apply. Returns where it went. */
    public String forgetRecord(String address) {
        String key = StateStore.recordKey(address);
        if (store.backend().get(key).isEmpty()) {
            throw new TeeflowException("no record for '" + address + "' to set aside");
        }
        if (recordDamage(address).isEmpty()) {
            throw new TeeflowException("the record of '" + address + "' is intact; nothing to repair (use 'apply --replace "
                    + address + "' to run the step again)");
        }
        return setAside(key);
    }

    /** Sets a damaged kept secret aside: the step makes a new one when it runs again. Returns where it went. */
    public String forgetSecret(String address, String name) {
        if (!secretNames(address).contains(name)) {
            throw new TeeflowException("'" + address + "' keeps no secret '" + name + "' (it keeps " + secretNames(address) + ")");
        }
        if (secrets.damage(address, name).isEmpty()) {
            throw new TeeflowException("the kept secret '" + name + "' of '" + address + "' is intact; nothing to repair");
        }
        String aside = setAside(StateStore.secretKey(address, name));
        String fingerprint = StateStore.secretKey(address, name + StepSecrets.SUFFIX);
        if (store.backend().get(fingerprint).isPresent()) {
            setAside(fingerprint);
        }
        String record = StateStore.recordKey(address);
        if (store.backend().get(record).isPresent()) {
            setAside(record); // its outputs name the secret set aside: the step must run again
        }
        return aside;
    }

    /**
     * Why the record cannot be used, if so: unreadable or another step's, or (in an encrypted state) failing its
     * integrity check. A record of a newer teeflow is not damage: that error goes to the caller.
     */
    private Optional<String> recordDamage(String address) {
        try {
            return Optional.ofNullable(store.read(address).problem());
        } catch (NewerStateException newer) {
            throw newer;
        } catch (TeeflowException e) {
            return Optional.of(e.getMessage());
        }
    }

    private List<String> secretNames(String address) {
        String prefix = StateStore.secretsPrefix(address);
        return store.backend().list(prefix).stream()
                .map(key -> key.substring(prefix.length()))
                .filter(n -> !n.contains("/") && !n.endsWith(StepSecrets.SUFFIX) && !n.contains(ASIDE) && !n.startsWith("."))
                .sorted().toList();
    }

    private String setAside(String key) {
        return store.setAside(key, ASIDE + STAMP.format(Instant.now()));
    }
}
