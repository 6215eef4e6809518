package dev.teeflow.engine.run;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.state.Intent;
import dev.teeflow.engine.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code teeflow state repair ADDR}: what the state directory knows about one step whose record or kept
 * secret is damaged, and the explicit choices a person makes about it. Nothing is deleted: what is set
 * aside is renamed {@code <file>.damaged-<time>} so that it can still be looked at.
 */
public final class StateRepair {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final StateStore store;
    private final StepSecrets secrets;

    public StateRepair(StateStore store) {
        this.store = store;
        this.secrets = new StepSecrets(store, store::projectKey);
    }

    /** One line per fact: the record, the intent of an interrupted run, each kept secret. */
    public List<String> report(String address) {
        List<String> lines = new ArrayList<>();
        StateStore.Read read = store.read(address);
        if (read.isCorrupt()) {
            lines.add("record: DAMAGED: " + read.problem());
        } else if (read.record() == null) {
            lines.add("record: none (the step never finished, or the address is wrong)");
        } else {
            lines.add("record: intact (" + read.record().type() + ", finished " + read.record().finishedAt() + ")");
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
    public Path forgetRecord(String address) {
        Path file = store.recordFile(address);
        if (!Files.exists(file)) {
            throw new TeeflowException("no record for '" + address + "' to set aside");
        }
        if (!store.read(address).isCorrupt()) {
            throw new TeeflowException("the record of '" + address + "' is intact; nothing to repair (use 'apply --replace "
                    + address + "' to run the step again)");
        }
        return setAside(file);
    }

    /** Sets a damaged kept secret aside: the step makes a new one when it runs again. Returns where it went. */
    public Path forgetSecret(String address, String name) {
        if (!secretNames(address).contains(name)) {
            throw new TeeflowException("'" + address + "' keeps no secret '" + name + "' (it keeps " + secretNames(address) + ")");
        }
        if (secrets.damage(address, name).isEmpty()) {
            throw new TeeflowException("the kept secret '" + name + "' of '" + address + "' is intact; nothing to repair");
        }
        Path file = store.secretsDir(address).resolve(name);
        Path aside = setAside(file);
        Path fingerprint = store.secretsDir(address).resolve(name + StepSecrets.SUFFIX);
        if (Files.exists(fingerprint)) {
            setAside(fingerprint);
        }
        Path record = store.recordFile(address);
        if (Files.exists(record)) {
            setAside(record); // its outputs name the secret set aside: the step must run again
        }
        return aside;
    }

    private List<String> secretNames(String address) {
        Path dir = store.secretsDir(address);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.endsWith(StepSecrets.SUFFIX) && !n.contains(".damaged-") && !n.startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new TeeflowException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Path setAside(Path file) {
        Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + STAMP.format(Instant.now()));
        try {
            return Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new TeeflowException("cannot set " + file + " aside: " + e.getMessage(), e);
        }
    }
}
