package dev.teeflow.engine.run;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Redactor;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.WrittenPaths;
import dev.teeflow.engine.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns secret references into values at run time and registers every value with the redactor
 * before anyone can print it.
 */
public final class SecretResolver {
    private final Map<String, String> env;
    private final Path projectDir;
    private final StateStore store;
    private final Redactor redactor;
    private final StepSecrets stepSecrets; // null: kept secrets are read unchecked
    private final Map<SecretRef, Secret> resolved = new ConcurrentHashMap<>();

    public SecretResolver(Map<String, String> env, Path projectDir, StateStore store, Redactor redactor) {
        this(env, projectDir, store, redactor, null);
    }

    /** A resolver that checks every kept step secret against its fingerprint before handing it out. */
    public SecretResolver(Map<String, String> env, Path projectDir, StateStore store, Redactor redactor, StepSecrets stepSecrets) {
        this.stepSecrets = stepSecrets;
        this.env = env;
        this.projectDir = projectDir;
        this.store = store;
        this.redactor = redactor;
    }

    public Secret resolve(SecretRef ref) {
        Secret cached = resolved.get(ref);
        if (cached != null) {
            return cached;
        }
        Secret secret = switch (ref.scheme()) {
            case SecretRef.ENV -> {
                String v = env.get(ref.name());
                if (v == null) {
                    throw new TeeflowException("secret " + ref + " is not set: export " + ref.name() + " before running");
                }
                yield Secret.ofText(ref, v);
            }
            case SecretRef.FILE -> Secret.ofText(ref, readFile(ref));
            case SecretRef.STEP -> {
                int slash = ref.name().lastIndexOf('/');
                String address = ref.name().substring(0, slash);
                String name = ref.name().substring(slash + 1);
                byte[] value = (stepSecrets != null ? stepSecrets.read(address, name) : store.readSecret(address, name))
                        .orElseThrow(() -> new TeeflowException(
                        "secret " + ref + " is missing from the state " + store.secretLocation(address, name)
                                + "; run step " + address + " again to make it"));
                yield new Secret(ref, value);
            }
            default -> throw new TeeflowException("unknown secret source " + ref.scheme());
        };
        if (!ref.scheme().equals(SecretRef.STEP) && Redactor.isTooShortToMask(secret.text())) {
            throw new TeeflowException("secret " + ref + " is shorter than " + Redactor.MIN_LENGTH + " characters: too short"
                    + " to be masked in logs and outputs (masking it would show where it is); use a longer value");
        }
        redactor.register(secret);
        resolved.put(ref, secret);
        return secret;
    }

    /** Registers a value a step made (a new key) under its reference. */
    public Secret remember(SecretRef ref, byte[] value) {
        Secret s = new Secret(ref, value);
        redactor.register(s);
        resolved.put(ref, s);
        return s;
    }

    private String readFile(SecretRef ref) {
        Path file = WrittenPaths.resolve(projectDir, ref.name()); // ~/ for keys kept in the home folder
        try {
            String text = Files.readString(file);
            // Editors add a final newline; it is never part of a secret.
            if (text.endsWith("\r\n")) {
                return text.substring(0, text.length() - 2);
            }
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new TeeflowException("secret " + ref + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }


    static boolean sameBytes(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
