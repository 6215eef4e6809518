package dev.teeflow.engine.secret;

import java.util.Optional;

/**
 * Where a secret's value comes from, resolved only at run time: {@code env:NAME} (an environment
 * variable), {@code file:PATH} (a file's content, trailing newline dropped) or {@code step:ADDRESS/NAME}
 * (a secret output a step stored in the state directory, such as a dataset key). The reference may be
 * shown and stored; the value never is.
 */
public record SecretRef(String scheme, String name) {
    public static final String ENV = "env";
    public static final String FILE = "file";
    public static final String STEP = "step";

    public SecretRef {
        if (!scheme.equals(ENV) && !scheme.equals(FILE) && !scheme.equals(STEP)) {
            throw new IllegalArgumentException("unknown secret source '" + scheme + ":', expected env:, file: or step:");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("secret reference '" + scheme + ":' has no name");
        }
    }

    /** Parses {@code env:NAME}, {@code file:PATH} or {@code step:ADDR/NAME}; empty when not of that form. */
    public static Optional<SecretRef> parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String scheme = text.substring(0, colon);
        if (!scheme.equals(ENV) && !scheme.equals(FILE) && !scheme.equals(STEP)) {
            return Optional.empty();
        }
        String name = text.substring(colon + 1);
        if (name.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new SecretRef(scheme, name));
    }

    public static SecretRef env(String name) {
        return new SecretRef(ENV, name);
    }

    public static SecretRef step(String address, String output) {
        return new SecretRef(STEP, address + "/" + output);
    }

    @Override
    public String toString() {
        return scheme + ":" + name;
    }
}
