package dev.teeflow.actions.dataset;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.spi.Inputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The {@code git:} block of a publish step, read and checked once. An HTTPS remote takes
 * {@code username} and {@code password | token}; an SSH remote takes {@link SshSettings} instead.
 */
record GitSettings(GitRemote remote, String branch, String path, String username, Secret password,
                   SshSettings ssh, Optional<String> urlPattern, boolean verify, PersonIdent author) {

    static GitSettings read(String owner, Inputs g) {
        GitRemote remote = GitRemote.parse(g.string("remote"));
        String branch = g.string("branch", "main");
        String path = g.string("path").replace('\\', '/').replaceAll("^/+", "");
        if (path.isEmpty() || path.endsWith("/") || path.contains("/../") || path.startsWith("../") || path.equals("..")) {
            throw new TeeflowException(owner + ": git.path '" + path + "' must name a file inside the repository");
        }
        Optional<Secret> password = g.optionalSecret("password");
        Optional<Secret> token = g.optionalSecret("token");
        if (password.isPresent() && token.isPresent()) {
            throw new TeeflowException(owner + ": give git.password or git.token, not both");
        }
        Secret secret = password.or(() -> token).orElse(null);
        SshSettings.problem(remote, g.asMap()).ifPresent(m -> {
            throw new TeeflowException(owner + ": git.remote " + remote.display() + ": " + m);
        });
        SshSettings ssh = remote.isSsh() ? SshSettings.read(owner, g) : null;
        String username = g.raw("username") instanceof Secret s ? s.text() : g.optionalString("username").orElse(null);
        if (username == null && secret != null) {
            // Hosts ignore or expect a fixed user name with an access token.
            username = remote.host().equals("gitlab.com") ? "oauth2" : "x-access-token";
        }
        PersonIdent author = parseAuthor(owner, g.string("author", "teeflow <teeflow@localhost>"));
        return new GitSettings(remote, branch, path, username, secret, ssh, g.optionalString("url"), g.bool("verify", false), author);
    }

    /** Every secret of the block, to be masked wherever text leaves the step. */
    List<Secret> secrets() {
        List<Secret> all = new ArrayList<>();
        if (password != null) {
            all.add(password);
        }
        if (ssh != null) {
            all.addAll(ssh.secrets());
        }
        return all;
    }

    private static PersonIdent parseAuthor(String owner, String text) {
        int lt = text.indexOf('<');
        int gt = text.indexOf('>');
        if (lt < 0 || gt < lt) {
            throw new TeeflowException(owner + ": git.author must look like 'Name <email>', not '" + text + "'");
        }
        return new PersonIdent(text.substring(0, lt).strip(), text.substring(lt + 1, gt).strip());
    }
}
