package dev.teeflow.actions.dataset;

import dev.teeflow.engine.TeeflowException;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * What a remote said of a push to one ref, read the same way by the dataset publisher and the git state
 * backend: accepted, or moved under us (someone else pushed, or the ref was locked: fetch and try again),
 * or refused for good (a clear error).
 */
public final class PushVerdict {
    private PushVerdict() {
    }

    /**
     * @param what who pushed where, for messages ("dataset.emails.publish: https://host/repo.git")
     * @param branch the branch pushed to
     * @param protectedHint what to check when the remote refuses, after "is the branch protected?"
     * @param clean masks secrets in the remote's message
     * @return true when accepted, false when the remote moved (fetch, rebuild on top and push again)
     */
    public static boolean accepted(Iterable<PushResult> results, String target, String what, String branch,
                                   String protectedHint, UnaryOperator<String> clean) {
        for (PushResult r : results) {
            RemoteRefUpdate u = r.getRemoteUpdate(target);
            if (u == null) {
                continue;
            }
            switch (u.getStatus()) {
                case OK, UP_TO_DATE -> {
                    return true;
                }
                case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
                    return false;
                }
                case REJECTED_OTHER_REASON -> {
                    String msg = String.valueOf(u.getMessage()).toLowerCase();
                    // "already exists": the branch was made by another push since we looked (it moved from nothing)
                    if (msg.contains("lock") || msg.contains("stale") || msg.contains("fetch first") || msg.contains("already exists")) {
                        return false;
                    }
                    throw new TeeflowException(what + " refused the push to " + branch + ": "
                            + clean.apply(String.valueOf(u.getMessage())) + " (is the branch protected?" + protectedHint + ")");
                }
                default -> throw new TeeflowException(what + " refused the push to " + branch + " (" + u.getStatus() + ")");
            }
        }
        throw new TeeflowException(what + " did not report the push to " + branch);
    }
}
