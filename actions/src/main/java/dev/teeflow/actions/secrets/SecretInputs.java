package dev.teeflow.actions.secrets;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.StepProblems;
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

    /** An address input, when written literally, must look like one (a reference is checked when known). */
    static void addressForm(StepSpec spec, String key, Problems problems) {
        if (spec.inputs().get(key) instanceof String s && !Hex.isAddress(s)) {
            StepProblems.error(spec, problems, key, "expected an address (0x + 40 hex digits), found '" + s + "'");
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
