package dev.teeflow.engine.state;

import dev.teeflow.engine.TeeflowException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Copies a state (records, intents, step secrets, the project key) into another backend, then reads every
 * copied item back through a second client of the target and compares it with the source. The source is
 * left as it was; a target that already holds a state is refused, never merged into.
 */
public final class StateMigration {
    /** What was copied. */
    public record Result(int records, int intents, int secrets, boolean projectKey) {
        public String describe() {
            return records + " record(s), " + intents + " intent(s), " + secrets + " step secret(s)"
                    + (projectKey ? " and the project key" : "");
        }
    }

    private StateMigration() {
    }

    /** Copies {@code from} into {@code to}; {@code progress} hears one line per item (keys only, no values). */
    public static Result copy(StateStore from, StateStore to, Consumer<String> progress) {
        List<String> already = to.dataKeys();
        if (!already.isEmpty() || to.hasProjectKey()) {
            throw new TeeflowException("the target state " + to.backend().location() + " is not empty (it holds "
                    + (already.isEmpty() ? "a project key" : already.size() + " item(s) such as " + already.get(0))
                    + "); migrate into an empty state, or pick another name");
        }
        List<String> keys = from.dataKeys();
        int n = 0;
        for (String key : keys) {
            byte[] plain = from.readData(key).orElseThrow(() -> new TeeflowException(key + " vanished during the migration"));
            to.writeData(key, plain);
            progress.accept("copied " + key + " (" + (++n) + "/" + keys.size() + ")");
        }
        boolean projectKey = from.hasProjectKey();
        if (projectKey) {
            to.adoptProjectKey(from.projectKey());
            progress.accept("copied the project key");
        }
        return new Result(count(keys, "state/"), count(keys, "intents/"), count(keys, "secrets/"), projectKey);
    }

    /** Reads every item of {@code from} back from {@code copy} (a fresh client of the target) and compares. */
    public static void verify(StateStore from, StateStore copy) {
        for (String key : from.dataKeys()) {
            Optional<byte[]> there = copy.readData(key);
            if (there.isEmpty() || !Arrays.equals(there.get(), from.readData(key).orElseThrow())) {
                throw new TeeflowException("verification failed: " + key + " in " + copy.backend().location()
                        + (there.isEmpty() ? " is missing" : " differs from the source") + "; the source is unchanged");
            }
        }
        if (from.hasProjectKey() && !Arrays.equals(from.projectKey(), copy.projectKey())) {
            throw new TeeflowException("verification failed: the project key in " + copy.backend().location()
                    + " differs from the source; the source is unchanged");
        }
    }

    private static int count(List<String> keys, String prefix) {
        return (int) keys.stream().filter(k -> k.startsWith(prefix)).count();
    }
}
