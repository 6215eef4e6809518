package dev.teeflow.cli.github;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The text rules of GitHub's workflow commands ({@code ::name key=value::data}): what must be escaped
 * in the data and in property values so that a value can never end a command early or start a new one.
 */
final class WorkflowCommands {
    private static final SecureRandom RANDOM = new SecureRandom();

    private WorkflowCommands() {
    }

    /** Data after the final {@code ::}: a newline would end the command, so it is encoded. */
    static String escapeData(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** A property value: also ':' and ',' which separate properties. */
    static String escapeProperty(String s) {
        return escapeData(s).replace(":", "%3A").replace(",", "%2C");
    }

    /** An unguessable token, so that text inside a stopped block cannot resume commands by itself. */
    static String randomToken() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "teeflow-" + HexFormat.of().formatHex(b);
    }
}
