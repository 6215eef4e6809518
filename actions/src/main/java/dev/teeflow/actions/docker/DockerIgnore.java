package dev.teeflow.actions.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The rules of a {@code .dockerignore} file, with Docker's meaning: one pattern per line, {@code #}
 * comments, {@code !} exceptions, {@code *} and {@code ?} within one path segment, {@code [..]}
 * classes, {@code **} across any number of folders; the last matching pattern wins; a pattern that
 * matches a folder excludes everything under it. Paths are relative to the context, with '/'.
 */
public final class DockerIgnore implements Predicate<String> {
    private record Rule(Pattern regex, boolean exception) {
    }

    private static final DockerIgnore NONE = new DockerIgnore(List.of());

    private final List<Rule> rules;
    private final boolean hasExceptions;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        this.hasExceptions = rules.stream().anyMatch(Rule::exception);
    }

    public static DockerIgnore none() {
        return NONE;
    }

    /** The rules of {@code <context>/.dockerignore}, or none when the file does not exist. */
    public static DockerIgnore forContext(Path context) throws IOException {
        Path file = context.resolve(".dockerignore");
        return Files.isRegularFile(file) ? parse(Files.readString(file, StandardCharsets.UTF_8)) : NONE;
    }

    public static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        boolean first = true;
        for (String line : text.split("\r?\n", -1)) {
            if (first && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            first = false;
            if (line.startsWith("#")) {
                continue;
            }
            String pattern = line.strip();
            if (pattern.isEmpty()) {
                continue;
            }
            boolean exception = pattern.startsWith("!");
            if (exception) {
                pattern = pattern.substring(1).strip();
            }
            pattern = clean(pattern);
            if (pattern.isEmpty() || pattern.equals(".")) {
                if (exception) {
                    throw new IllegalArgumentException(".dockerignore: illegal exception pattern '" + line.strip() + "'");
                }
                continue;
            }
            rules.add(new Rule(compile(pattern), exception));
        }
        return new DockerIgnore(rules);
    }

    /** True when the file or folder at {@code relativePath} is sent to Docker (not ignored). */
    @Override
    public boolean test(String relativePath) {
        return !isExcluded(relativePath);
    }

    public boolean isExcluded(String relativePath) {
        if (rules.isEmpty()) {
            return false;
        }
        String path = clean(relativePath);
        String[] parents = parentsOf(path);
        boolean excluded = false;
        for (Rule rule : rules) {
            // A rule cannot change the outcome when it would set what is already set.
            if (rule.exception() != excluded) {
                continue;
            }
            if (matchesSelfOrParent(rule.regex(), path, parents)) {
                excluded = !rule.exception();
            }
        }
        return excluded;
    }

    /**
     * Whether a walk may skip the folder at {@code relativePath} entirely: it is excluded and no
     * exception could bring back anything below it.
     */
    public boolean canSkipFolder(String relativePath) {
        return !hasExceptions && isExcluded(relativePath);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    private static boolean matchesSelfOrParent(Pattern regex, String path, String[] parents) {
        if (regex.matcher(path).matches()) {
            return true;
        }
        for (String parent : parents) {
            if (regex.matcher(parent).matches()) {
                return true;
            }
        }
        return false;
    }

    /** "a/b/c" -> ["a", "a/b"]. */
    private static String[] parentsOf(String path) {
        int count = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                count++;
            }
        }
        String[] out = new String[count];
        int n = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                out[n++] = path.substring(0, i);
            }
        }
        return out;
    }

    /** Like Go's path.Clean, then without a leading '/': Docker matches patterns relative to the context. */
    static String clean(String p) {
        String s = p;
        List<String> out = new ArrayList<>();
        for (String part : s.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                } else if (!s.startsWith("/")) {
                    out.add("..");
                }
                continue;
            }
            out.add(part);
        }
        return String.join("/", out);
    }

    /** Docker's translation of a pattern into an anchored regular expression. */
    static Pattern compile(String pattern) {
        StringBuilder re = new StringBuilder("^");
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (i + 1 < n && pattern.charAt(i + 1) == '*') {
                    i += 2;
                    if (i < n && pattern.charAt(i) == '/') {
                        i++; // "**/" means the same as "**"
                    }
                    // "**" at the end matches everything; elsewhere any number of whole folders.
                    re.append(i >= n ? ".*" : "(.*/)?");
                    continue;
                }
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '\\') {
                if (i + 1 < n) {
                    i++;
                    re.append(Pattern.quote(String.valueOf(pattern.charAt(i))));
                } else {
                    re.append("\\\\");
                }
            } else if (c == '[') {
                int close = classEnd(pattern, i);
                if (close < 0) {
                    throw new IllegalArgumentException(".dockerignore: unclosed '[' in pattern '" + pattern + "'");
                }
                String body = pattern.substring(i + 1, close);
                if (body.startsWith("!")) {
                    body = "^" + body.substring(1);
                }
                re.append('[').append(body.replace("[", "\\[")).append(']');
                i = close;
            } else if (".+()|{}$^".indexOf(c) >= 0) {
                re.append('\\').append(c);
            } else {
                re.append(c);
            }
            i++;
        }
        return Pattern.compile(re.append('$').toString());
    }

    private static int classEnd(String pattern, int open) {
        int i = open + 1;
        if (i < pattern.length() && (pattern.charAt(i) == '!' || pattern.charAt(i) == '^')) {
            i++;
        }
        if (i < pattern.length() && pattern.charAt(i) == ']') {
            i++; // a ']' first in a class is literal
        }
        for (; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ']') {
                return i;
            }
        }
        return -1;
    }
}
