package dev.teeflow.actions.dataset;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.WrittenPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SSH part of a {@code git:} block: {@code ssh-key} and {@code ssh-passphrase} (secret references),
 * and which host keys to trust: {@code known-hosts} (a file, a secret reference, or the lines themselves)
 * and/or {@code host-key-fingerprint} ({@code SHA256:...}, one or a list). Nothing is trusted by default,
 * and nothing is read from {@code ~/.ssh} unless a path to it is written here.
 */
public record SshSettings(Secret key, Optional<Secret> passphrase, HostKeyCheck hostKeys) {
    static final List<String> KEYS = List.of("ssh-key", "ssh-passphrase", "known-hosts", "host-key-fingerprint");

    /**
     * What is wrong with a {@code git:} block for its kind of remote: an SSH remote with a token or without a
     * key, or SSH fields on an HTTPS remote. The one rule for the section, the step's validation and its run.
     */
    public static Optional<String> problem(GitRemote remote, Map<?, ?> git) {
        return problem(remote, git, "git");
    }

    /** {@link #problem(GitRemote, Map)} for settings written in {@code block} ({@code git} or {@code state}). */
    public static Optional<String> problem(GitRemote remote, Map<?, ?> git, String block) {
        if (remote.isSsh()) {
            if (git.get("token") != null || git.get("password") != null) {
                return Optional.of("an SSH remote takes " + block + ".ssh-key (and " + block + ".known-hosts or " + block + ".host-key-fingerprint),"
                        + " not a token or password");
            }
            if (git.get("ssh-key") == null) {
                return Optional.of("an SSH remote needs " + block + ".ssh-key with the private key (e.g. env:DEPLOY_KEY or"
                        + " file:~/.ssh/id_ed25519)");
            }
        } else if (KEYS.stream().anyMatch(k -> git.get(k) != null)) {
            return Optional.of(block + ".ssh-key, " + block + ".known-hosts and " + block + ".host-key-fingerprint need an SSH remote"
                    + " (ssh://git@host/owner/repo.git or git@host:owner/repo.git)");
        }
        return Optional.empty();
    }

    /** The settings of a block {@link #problem} found nothing wrong with. */
    public static SshSettings read(String owner, Inputs g) {
        return read(owner, g, "git");
    }

    /** {@link #read(String, Inputs)} for settings written in {@code block} ({@code git} or {@code state}). */
    public static SshSettings read(String owner, Inputs g, String block) {
        Secret key = g.secret("ssh-key");
        Optional<Secret> passphrase = g.optionalSecret("ssh-passphrase");
        String knownHosts = knownHostsText(owner, g, block);
        List<String> fingerprints = g.has("host-key-fingerprint") ? g.strings("host-key-fingerprint") : List.of();
        return new SshSettings(key, passphrase, HostKeyCheck.of(owner, knownHosts, fingerprints));
    }

    /** The known_hosts lines, from a secret, literal lines, or a file path ({@code ~/} is the user's home). */
    private static String knownHostsText(String owner, Inputs g, String block) {
        Object raw = g.raw("known-hosts");
        if (raw == null) {
            return "";
        }
        if (raw instanceof Secret s) {
            return s.text();
        }
        if (raw instanceof List<?>) {
            return String.join("\n", g.strings("known-hosts"));
        }
        String written = g.string("known-hosts").strip();
        if (written.chars().anyMatch(Character::isWhitespace)) {
            return written; // a line "host key-type base64", not a path
        }
        Path file = WrittenPaths.resolve(g.projectDir(), written);
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new TeeflowException(owner + ": " + block + ".known-hosts: cannot read " + file + " (" + e.getClass().getSimpleName()
                    + "); give a known_hosts file, its lines, or use " + block + ".host-key-fingerprint");
        }
    }

    /** The fields that are secrets, so that they are masked wherever text leaves the step. */
    public List<Secret> secrets() {
        List<Secret> all = new ArrayList<>();
        all.add(key);
        passphrase.ifPresent(all::add);
        return all;
    }
}
