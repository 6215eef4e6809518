package dev.teeflow.actions.dataset;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Redactor;
import java.util.List;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;

/**
 * What went wrong talking to a git remote, in words a user can act on (refused credentials, a missing
 * repository, an untrusted host key, an unreachable host), never with a credential in them. Shared by
 * the dataset publisher and the git state backend.
 */
public final class GitErrors {
    private GitErrors() {
    }

    /** "answered 503" or "is unreachable (...)" when a retry may help; null when it cannot. */
    public static String transientProblem(Exception e) {
        String all = chainMessages(e).toLowerCase().replaceAll("\\S+://\\S+", "<url>");
        java.util.regex.Matcher status = java.util.regex.Pattern.compile("\\b(50[0-4]|429)\\b").matcher(all);
        if (status.find()) {
            return "answered " + status.group(1);
        }
        for (String sign : List.of("connection refused", "connection reset", "timed out", "timeout", "broken pipe",
                "unexpected end of file", "premature eof", "end of stream", "connect failed")) {
            if (all.contains(sign)) {
                return "is unreachable (" + sign + ")";
            }
        }
        return null;
    }

    /**
     * One clear error for {@code owner} (a step address, or "state") that could not {@code action} the
     * remote; {@code remoteField} is where the remote is written (e.g. git.remote), for the hint.
     */
    public static TeeflowException failure(String owner, GitRemote remote, GitAccess access, Redactor redactor,
                                           String action, Exception e, String remoteField) {
        if (access.refusal().isPresent()) {
            return new TeeflowException(owner + ": " + access.refusal().get());
        }
        // URLs are dropped before matching, so that a port such as :40123 never reads as "401".
        String all = chainMessages(e).toLowerCase().replaceAll("\\S+://\\S+", "<url>");
        String shown = remote.display();
        if (all.contains("not authorized") || all.contains("authentication is required") || all.contains("auth fail")
                || all.matches("(?s).*\\b40[13]\\b.*") || all.contains("authentication not supported")
                || all.contains("no more authentication methods") || all.contains("cannot log in")) {
            return new TeeflowException(owner + ": " + shown + " refused the credentials (" + access.describe()
                    + "); " + access.credentialsHint());
        }
        if (hasCause(e, NoRemoteRepositoryException.class) || hasCause(e, InvalidRemoteException.class)
                || all.contains("not found") || all.contains("does not appear to be a git repository")
                || all.contains("repository not found") || all.contains("not a git repository")) {
            return new TeeflowException(owner + ": git remote " + shown + " does not exist (or is not visible to "
                    + access.who() + "); check " + remoteField);
        }
        return new TeeflowException(owner + ": cannot " + action + " " + shown + ": "
                + redactor.redact(GitRemote.withoutCredentials(chainMessages(e))));
    }

    public static String chainMessages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && sb.indexOf(t.getMessage()) < 0) {
                sb.append(sb.isEmpty() ? "" : ": ").append(t.getMessage());
            }
        }
        return sb.toString();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
