package dev.teeflow.actions.dataset;

import dev.teeflow.engine.TeeflowException;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * Decides whether the SSH server is the one the pipeline trusts: its host key must be listed for that
 * host in {@code known-hosts} or have one of the pinned {@code host-key-fingerprint}s. Anything else is
 * refused (never trusted on first use, never written anywhere), and the reason, with the fingerprint the
 * server presented, is kept for one clear error message. One instance per publish.
 */
public final class HostKeyCheck implements ServerKeyDatabase {
    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");

    private final List<Known> known;
    private final List<String> fingerprints;
    private volatile String refusal;

    /** One usable known_hosts line: its host patterns and key. */
    private record Known(KnownHostEntry entry, PublicKey key, boolean revoked) {
    }

    private HostKeyCheck(List<Known> known, List<String> fingerprints) {
        this.known = known;
        this.fingerprints = fingerprints;
    }

    static HostKeyCheck of(String owner, String knownHostsText, List<String> fingerprints) {
        List<Known> known = new ArrayList<>();
        int lineNo = 0;
        for (String line : knownHostsText.split("\\R")) {
            lineNo++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            try {
                KnownHostEntry e = KnownHostEntry.parseKnownHostEntry(l);
                if (e == null || e.getKeyEntry() == null || "cert-authority".equals(e.getMarker())) {
                    continue; // host certificates are not supported; such lines trust nothing here
                }
                known.add(new Known(e, e.getKeyEntry().resolvePublicKey(null, null, null), "revoked".equals(e.getMarker())));
            } catch (Exception ex) {
                throw new TeeflowException(owner + ": git.known-hosts line " + lineNo + " is not a known_hosts line"
                        + " ('host key-type base64-key'): " + ex.getClass().getSimpleName());
            }
        }
        for (String f : fingerprints) {
            if (!FINGERPRINT.matcher(f.strip()).matches()) {
                throw new TeeflowException(owner + ": git.host-key-fingerprint '" + f + "' must look like SHA256:"
                        + " followed by 43 base64 characters (as printed by 'ssh-keygen -lf' or in teeflow's error)");
            }
        }
        return new HostKeyCheck(known, fingerprints.stream().map(f -> f.strip().replaceAll("=$", "")).toList());
    }

    /** Why the last connection's host key was refused, if it was. */
    Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        // Lets the client prefer the host key algorithms the pipeline knows for this host.
        HostPort hp = HostPort.parse(connectAddress);
        return known.stream().filter(k -> !k.revoked() && k.entry().isHostMatch(hp.host(), hp.port())).map(Known::key).toList();
    }

    @Override
    public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
                          Configuration config, CredentialsProvider provider) {
        HostPort hp = HostPort.parse(connectAddress);
        String presented = fingerprint(serverKey);
        String type = KeyUtils.getKeyType(serverKey);
        List<Known> forHost = known.stream().filter(k -> k.entry().isHostMatch(hp.host(), hp.port())).toList();
        if (forHost.stream().anyMatch(k -> k.revoked() && KeyUtils.compareKeys(k.key(), serverKey))) {
            refusal = "SSH host " + connectAddress + " presented the " + type + " key " + presented
                    + ", which git.known-hosts marks @revoked; refused";
            return false;
        }
        if (fingerprints.contains(presented)
                || forHost.stream().anyMatch(k -> !k.revoked() && KeyUtils.compareKeys(k.key(), serverKey))) {
            refusal = null;
            return true;
        }
        List<String> expected = new ArrayList<>(fingerprints);
        forHost.stream().filter(k -> !k.revoked()).map(k -> KeyUtils.getKeyType(k.key()) + " " + fingerprint(k.key()))
                .forEach(expected::add);
        if (expected.isEmpty()) {
            refusal = "SSH host " + connectAddress + " is not trusted yet: it presented the " + type + " key " + presented
                    + ". If that is the host's real key (compare with what its operator publishes), accept it with"
                    + " 'host-key-fingerprint: " + presented + "' in the git: block, or add the host's line to"
                    + " git.known-hosts (e.g. from 'ssh-keyscan" + (hp.port() == 22 ? "" : " -p " + hp.port()) + " " + hp.host()
                    + "' checked against that fingerprint)";
        } else {
            refusal = "SSH host key for " + connectAddress + " does not match: the server presented the " + type + " key "
                    + presented + " but the pipeline trusts only " + String.join(", ", expected)
                    + ". Someone may be intercepting the connection, or the host changed its key; refused."
                    + " If the change is legitimate, update git.known-hosts or git.host-key-fingerprint";
        }
        return false;
    }

    static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }

    /** {@code host} or {@code [host]:port}, as JGit names the address it connects to. */
    private record HostPort(String host, int port) {
        static HostPort parse(String address) {
            if (address.startsWith("[")) {
                int close = address.indexOf("]:");
                if (close > 0) {
                    return new HostPort(address.substring(1, close), Integer.parseInt(address.substring(close + 2)));
                }
                return new HostPort(address.substring(1, address.length() - 1), 22);
            }
            return new HostPort(address, 22);
        }
    }
}
