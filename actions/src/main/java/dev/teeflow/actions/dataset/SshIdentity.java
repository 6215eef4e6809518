package dev.teeflow.actions.dataset;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The SSH private key of a {@code git:} block, decoded in memory from its secret (OpenSSH or PEM format,
 * ed25519, ECDSA or RSA, optionally passphrase-protected). The key never touches the disk here, and
 * errors name where the key came from, never its bytes or the passphrase.
 */
record SshIdentity(List<KeyPair> keys, String fingerprint) {

    static SshIdentity load(String owner, Secret key, Optional<Secret> passphrase) {
        AtomicBoolean asked = new AtomicBoolean();
        FilePasswordProvider password = (session, resource, retry) -> {
            asked.set(true);
            return retry == 0 ? passphrase.map(Secret::text).orElse(null) : null;
        };
        // The resource name appears in the decoder's own messages: only the reference, never the value.
        NamedResource name = NamedResource.ofName(String.valueOf(key.source()));
        List<KeyPair> keys = new ArrayList<>();
        try {
            Iterable<KeyPair> decoded = SecurityUtils.loadKeyPairIdentities(null, name,
                    new ByteArrayInputStream(normalized(key)), password);
            if (decoded != null) {
                decoded.forEach(keys::add);
            }
        } catch (Exception e) {
            if (asked.get() && passphrase.isEmpty()) {
                throw new TeeflowException(owner + ": the SSH key from " + key.source()
                        + " is protected by a passphrase: set git.ssh-passphrase (a secret reference)");
            }
            if (asked.get()) {
                throw new TeeflowException(owner + ": cannot decrypt the SSH key from " + key.source()
                        + " with the passphrase from " + passphrase.get().source() + " (wrong passphrase?)");
            }
            throw notAKey(owner, key, e);
        }
        if (keys.isEmpty()) {
            throw notAKey(owner, key, null);
        }
        return new SshIdentity(List.copyOf(keys), HostKeyCheck.fingerprint(keys.get(0).getPublic()));
    }

    /** "ssh-ed25519 SHA256:...": which key it is, safe to show. */
    String describe() {
        return KeyUtils.getKeyType(keys.get(0).getPublic()) + " key " + fingerprint;
    }

    private static TeeflowException notAKey(String owner, Secret key, Exception e) {
        return new TeeflowException(owner + ": git.ssh-key (" + key.source() + ") is not a private key in OpenSSH"
                + " ('-----BEGIN OPENSSH PRIVATE KEY-----') or PEM format"
                + (e == null ? "" : " (" + e.getClass().getSimpleName() + ")")
                + "; give the private key file, not the .pub one");
    }

    /** The key text with a final newline (secret files lose theirs) and Unix line ends. */
    private static byte[] normalized(Secret key) {
        String text = key.text().replace("\r\n", "\n").strip() + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
