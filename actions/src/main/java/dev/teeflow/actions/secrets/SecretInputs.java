package dev.teeflow.actions.secrets;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.protocol.sign.Hex;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Checks shared by the secret step types, on written inputs and on values at run time. */
final class SecretInputs {
    /** What the SMS accepts as a requester secret name. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final int MAX_BYTES = 4096;

    private SecretInputs() {
    }

    static void requireSecret(StepSpec spec, String key, Problems problems) {
        Object v = spec.inputs().get(key);
        if (!(v instanceof SecretRef) && !(v instanceof Ref)) {
            problems.error(spec.location(), spec.address() + "." + key, "expected a secret reference such as env:NAME,"
                    + " file:PATH or ${{ <step>.<secret output> }}");
        }
    }

    static void requireAddress(StepSpec spec, String key, Problems problems) {
        Object v = spec.inputs().get(key);
        if (v == null) {
            problems.error(spec.location(), spec.address() + "." + key, "missing input '" + key + "'");
        } else if (v instanceof String s && !Hex.isAddress(s)) {
            problems.error(spec.location(), spec.address() + "." + key, "expected an address (0x + 40 hex digits), found '" + s + "'");
        }
    }

    static void requireMaps(StepSpec spec, Problems problems) {
        for (String key : new String[] {"chain", "wallet"}) {
            if (!(spec.inputs().get(key) instanceof java.util.Map)) {
                problems.error(spec.location(), spec.address() + "." + key, dev.teeflow.actions.chain.Targets.genericForm(key));
            }
        }
    }

    static String address(String step, String key, String value) {
        if (!Hex.isAddress(value)) {
            throw new TeeflowException(step + ": input '" + key + "' must be an address (0x + 40 hex digits), not '" + value + "'");
        }
        return value;
    }

    /** The SMS refuses values over 4096 bytes; say so before asking it. */
    static String limited(String step, String what, String value) {
        int size = value.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_BYTES) {
            throw new TeeflowException(step + ": the " + what + " is " + size + " bytes; the SMS accepts at most "
                    + MAX_BYTES + " bytes");
        }
        if (size == 0) {
            throw new TeeflowException(step + ": the " + what + " is empty; the SMS refuses empty secrets");
        }
        return value;
    }
}
