package dev.teeflow.jenkins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One teeflow command line found in an sh script, read back into its arguments, the way the shell would
 * split it. A value the shell takes from the environment is kept as the reference ("$NAME"), so a test can
 * see which variables a command needs without any of them having a value.
 */
record TeeflowInvocation(String command, String file, Map<String, String> params, List<String> targets, boolean json,
                         List<String> words, List<String> environmentReferences, PipelineMock.ShCall call) {
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");

    /** The teeflow command in this sh call, or null when the script does not run the launcher. */
    static TeeflowInvocation find(PipelineMock.ShCall call, String launcher) {
        int at = call.script().indexOf(PipelineMock.quoteForShell(launcher));
        if (at < 0) {
            return null;
        }
        List<String> references = new ArrayList<>();
        List<String> words = words(call.script(), at, references);
        String command = words.get(1);
        String file = null;
        Map<String, String> params = new LinkedHashMap<>();
        List<String> targets = new ArrayList<>();
        boolean json = false;
        for (int i = 2; i < words.size(); i++) {
            switch (words.get(i)) {
                case "--file", "-f" -> file = words.get(++i);
                case "--param", "-p" -> {
                    String p = words.get(++i);
                    int eq = p.indexOf('=');
                    params.put(p.substring(0, eq), p.substring(eq + 1));
                }
                case "--target" -> targets.add(words.get(++i));
                case "--json" -> json = true;
                default -> {
                }
            }
        }
        return new TeeflowInvocation(command, file, params, targets, json, words, references, call);
    }

    /**
     * POSIX word splitting for the text the library writes: '...' is literal, "..." keeps $NAME as a
     * reference (and adds NAME to {@code references}, as does an unquoted $NAME), and an unquoted
     * ; | & or > ends the command.
     */
    static List<String> words(String s, int from, List<String> references) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                word = word == null ? new StringBuilder() : word;
                word.append(s, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                int end = s.indexOf('"', i + 1);
                word = word == null ? new StringBuilder() : word;
                word.append(s, i + 1, end);
                addReferences(s.substring(i + 1, end), references);
                i = end + 1;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                i++;
            } else if (";|&>".indexOf(c) >= 0) {
                break;
            } else {
                int end = i;
                while (end < s.length() && " \t\n'\";|&>".indexOf(s.charAt(end)) < 0) {
                    end++;
                }
                word = word == null ? new StringBuilder() : word;
                word.append(s, i, end);
                addReferences(s.substring(i, end), references);
                i = end;
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private static void addReferences(String text, List<String> references) {
        Matcher m = ENV_REFERENCE.matcher(text);
        while (m.find()) {
            references.add(m.group(1));
        }
    }
}
