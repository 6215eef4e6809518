package dev.teeflow.actions.dataset;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.spi.Inputs;
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
record SshSettings(Secret key, Optional<Secret> passphrase, HostKeyCheck hostKeys) {
    static final List<String> KEYS = List.of("ssh-key", "ssh-passphrase", "known-hosts", "host-key-fingerprint");

    /** Whether the block uses any SSH field (they need an SSH remote). */
    static boolean mentioned(Map<?, ?> block) {
        return KEYS.stream().anyMatch(k -> block.get(k) != null);
    }

    static SshSettings read(String owner, Inputs g) {
        Secret key = g.optionalSecret("ssh-key").orElseThrow(() -> new TeeflowException(owner + ": git.remote "
                + GitRemote.parse(g.string("remote")).display() + " is an SSH remote: set git.ssh-key to the private key"
                + " (a secret reference such as 'env:DEPLOY_KEY' or 'file:/home/me/.ssh/id_ed25519')"));
        Optional<Secret> passphrase = g.optionalSecret("ssh-passphrase");
        String knownHosts = knownHostsText(owner, g);
        List<String> fingerprints = g.has("host-key-fingerprint") ? g.strings("host-key-fingerprint") : List.of();
        return new SshSettings(key, passphrase, HostKeyCheck.of(owner, knownHosts, fingerprints));
    }

    /** The known_hosts lines, from a secret, literal lines, or a file path ({@code ~/} is the user's home). */
    private static String knownHostsText(String owner, Inputs g) {
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
        Path file = expandHome(written, g.projectDir());
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new TeeflowException(owner + ": git.known-hosts: cannot read " + file + " (" + e.getClass().getSimpleName()
                    + "); give a known_hosts file, its lines, or use git.host-key-fingerprint");
        }
    }

    static Path expandHome(String written, Path projectDir) {
        if (written.equals("~") || written.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(written.substring(Math.min(2, written.length())));
        }
        return projectDir.resolve(written).normalize();
    }

    /** The fields that are secrets, so that they are masked wherever text leaves the step. */
    List<Secret> secrets() {
        List<Secret> all = new ArrayList<>();
        all.add(key);
        passphrase.ifPresent(all::add);
        return all;
    }
}
