package dev.teeflow.cli.init;

import java.util.List;
import java.util.Locale;

/** What a new project is made of: the answers to {@code teeflow init}'s questions. */
public record ScaffoldChoices(String name, String language, String tee, boolean dataset, String input, String target) {
    public static final List<String> LANGUAGES = List.of("python", "javascript");
    public static final List<String> TEES = List.of("tdx", "scone");
    /** How the requester gives the app its input: a requester secret, or plain task args. */
    public static final List<String> INPUTS = List.of("secret", "args");
    public static final List<String> TARGETS = List.of("devnet", "arbitrum-sepolia", "arbitrum", "bellecour");

    public ScaffoldChoices {
        check("language", language, LANGUAGES);
        check("tee", tee, TEES);
        check("input", input, INPUTS);
        check("target", target, TARGETS);
        if (!name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
            throw new IllegalArgumentException("the project name '" + name + "' must be lowercase letters, digits,"
                    + " '-' and '_', starting with a letter or digit (it names the app image and the pipeline's steps)");
        }
    }

    /** A name for the project from a folder's name: lowercase, other characters turned into '-'. */
    public static String nameFrom(String folderName) {
        String s = folderName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("^[-_]+", "")
                .replaceAll("-+$", "");
        if (s.length() > 63) {
            s = s.substring(0, 63);
        }
        return s.isEmpty() ? "my-iapp" : s;
    }

    private static void check(String what, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException("unknown " + what + " '" + value + "'; one of: " + String.join(", ", allowed));
        }
    }
}
