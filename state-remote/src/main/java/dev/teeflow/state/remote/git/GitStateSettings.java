package dev.teeflow.state.remote.git;

import dev.teeflow.actions.dataset.GitRemote;
import dev.teeflow.actions.dataset.SshSettings;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * Where a {@code git} state lives: a branch of a git remote (by default {@code teeflow-state}, kept apart
 * from the code), a folder in it ({@code path}, empty for the top), and how to authenticate: a token or
 * password over HTTPS, or an SSH key with the host keys to trust, as in a dataset's {@code git:} block.
 */
public record GitStateSettings(GitRemote remote, String branch, String path, String username, Secret password,
                               SshSettings ssh, PersonIdent author) {
    public static final String DEFAULT_BRANCH = "teeflow-state";

    public GitStateSettings {
        if (branch == null || branch.isBlank()) {
            branch = DEFAULT_BRANCH;
        }
        if (!branch.matches("[A-Za-z0-9._/-]+") || branch.contains("..") || branch.startsWith("/") || branch.endsWith("/")
                || branch.endsWith(".lock")) {
            throw new TeeflowException("state.branch '" + branch + "' is not a branch name git accepts");
        }
        path = normalizePath(path);
    }

    static String normalizePath(String path) {
        String p = path == null ? "" : path.strip().replace('\\', '/').replaceAll("^/+", "");
        if (p.contains("..") || p.contains("//") || p.startsWith(".")) {
            throw new TeeflowException("state.path '" + path + "' must be a folder inside the repository such as teeflow/pipeline");
        }
        return p.isEmpty() || p.endsWith("/") ? p : p + "/";
    }

    /** The remote, branch and folder, for messages; never a credential. */
    public String describe() {
        return remote.display() + " branch " + branch + (path.isEmpty() ? "" : " folder " + path);
    }

    public List<Secret> secrets() {
        List<Secret> all = new ArrayList<>();
        if (password != null) {
            all.add(password);
        }
        if (ssh != null) {
            all.addAll(ssh.secrets());
        }
        return all;
    }
}
