package dev.teeflow.state.remote.git;

import dev.teeflow.actions.dataset.GitRemote;
import dev.teeflow.actions.dataset.SshSettings;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.hash.Hashing;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateBackendConfig;
import dev.teeflow.engine.state.StateBackendFactory;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.PersonIdent;

/** {@code state: { backend: git, remote: ..., token: env:GITHUB_TOKEN }}: state on a branch of a git remote. */
public final class GitStateFactory implements StateBackendFactory {
    private static final Map<String, String> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("remote", "the git remote: https://host/owner/repo.git or git@host:owner/repo.git");
        SETTINGS.put("branch", "the branch that holds the state (default teeflow-state)");
        SETTINGS.put("path", "a folder on that branch, one per pipeline sharing the repository (default: the top)");
        SETTINGS.put("username", "the HTTPS user name (default x-access-token with a token; oauth2 on gitlab.com)");
        SETTINGS.put("token", "secret reference to an HTTPS access token (e.g. env:GITHUB_TOKEN)");
        SETTINGS.put("password", "secret reference to an HTTPS password");
        SETTINGS.put("ssh-key", "secret reference to the SSH private key of an SSH remote");
        SETTINGS.put("ssh-passphrase", "secret reference to the SSH key's passphrase");
        SETTINGS.put("known-hosts", "known_hosts file or line(s) of the SSH host");
        SETTINGS.put("host-key-fingerprint", "the SSH host key's SHA256:... fingerprint");
        SETTINGS.put("author", "the commits' author, 'Name <email>' (default teeflow <teeflow@localhost>)");
    }

    @Override
    public String kind() {
        return "git";
    }

    @Override
    public Map<String, String> settings() {
        return SETTINGS;
    }

    @Override
    public Set<String> required() {
        return Set.of("remote");
    }

    @Override
    public Set<String> secretSettings() {
        return Set.of("token", "password", "ssh-key", "ssh-passphrase");
    }

    @Override
    public StateBackend open(StateBackendConfig config) {
        GitRemote remote = GitRemote.parse(config.required("remote"));
        Map<String, Object> raw = new LinkedHashMap<>();
        for (String name : SETTINGS.keySet()) {
            config.get(name).ifPresent(v -> raw.put(name, v));
        }
        SshSettings.problem(remote, raw, "state").ifPresent(m -> {
            throw new TeeflowException("state.remote " + remote.display() + ": " + m);
        });
        Optional<Secret> token = config.secret("token");
        Optional<Secret> password = config.secret("password");
        if (token.isPresent() && password.isPresent()) {
            throw new TeeflowException("state: give token or password, not both");
        }
        SshSettings ssh = null;
        if (remote.isSsh()) {
            Map<String, Object> values = new LinkedHashMap<>(raw);
            config.secret("ssh-key").ifPresent(s -> values.put("ssh-key", s));
            config.secret("ssh-passphrase").ifPresent(s -> values.put("ssh-passphrase", s));
            ssh = SshSettings.read("state", Inputs.of("state", config.projectDir(), values), "state");
        }
        Secret secret = token.or(() -> password).orElse(null);
        String username = config.get("username").orElse(null);
        if (username == null && secret != null) {
            username = remote.host().equals("gitlab.com") ? "oauth2" : "x-access-token";
        }
        GitStateSettings settings = new GitStateSettings(remote, config.get("branch").orElse(null),
                config.get("path").orElse(null), username, secret, ssh, author(config.get("author").orElse("teeflow <teeflow@localhost>")));
        String cacheName = Hashing.sha256Hex((remote.display() + " " + settings.branch()).getBytes(StandardCharsets.UTF_8))
                .substring(0, 16);
        return new GitStateBackend(settings, config.cacheDir().resolve("remote-cache").resolve("git-" + cacheName));
    }

    private static PersonIdent author(String text) {
        int lt = text.indexOf('<');
        int gt = text.indexOf('>');
        if (lt < 0 || gt < lt) {
            throw new TeeflowException("state.author must look like 'Name <email>', not '" + text + "'");
        }
        return new PersonIdent(text.substring(0, lt).strip(), text.substring(lt + 1, gt).strip());
    }
}
