package dev.teeflow.actions.dataset;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.spi.Inputs;
import java.util.Optional;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/** The {@code git:} block of a publish step, read and checked once. */
record GitSettings(GitRemote remote, String branch, String path, String username, Secret password,
                   Optional<String> urlPattern, boolean verify, PersonIdent author) {

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
        String username = g.raw("username") instanceof Secret s ? s.text() : g.optionalString("username").orElse(null);
        if (username == null && secret != null) {
            // Hosts ignore or expect a fixed user name with an access token.
            username = remote.host().equals("gitlab.com") ? "oauth2" : "x-access-token";
        }
        PersonIdent author = parseAuthor(owner, g.string("author", "teeflow <teeflow@localhost>"));
        return new GitSettings(remote, branch, path, username, secret, g.optionalString("url"), g.bool("verify", false), author);
    }

    CredentialsProvider credentials() {
        if (password == null) {
            return null;
        }
        return new UsernamePasswordCredentialsProvider(username, password.text());
    }

    /** How the credentials are given, for messages: never their values. */
    String describeCredentials() {
        if (password == null) {
            return "no credentials given (set git.token or git.username + git.password)";
        }
        return "user '" + username + "' with the secret from " + password.source();
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
