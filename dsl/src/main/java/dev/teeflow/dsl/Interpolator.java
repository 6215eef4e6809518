package dev.teeflow.dsl;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.config.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${{ params.NAME }}} and {@code ${{ env.NAME }}} in every scalar string of a tree,
 * before any section reads it. {@code ${{ env.NAME || 'fallback' }}} gives a value for an unset
 * variable. The result is always text, so {@code tag: ${{ params.tag }}} stays a string even when
 * the value looks like a number. Other {@code ${{ ... }}} (step outputs) are left for the engine.
 */
final class Interpolator {
    private static final Pattern EXPRESSION = Pattern.compile(
            "\\$\\{\\{\\s*(params|env)\\.([A-Za-z_][A-Za-z0-9_-]*)\\s*(?:\\|\\|\\s*'([^']*)'\\s*)?}}");
    private static final Pattern LEFTOVER = Pattern.compile("\\$\\{\\{\\s*(params|env)\\b");

    /**
     * Characters the replaced strings may add up to. A long parameter referenced many times (or a
     * reference under many YAML aliases) would otherwise grow a small file into gigabytes.
     */
    static final long MAX_EXPANDED_CHARS = 8_000_000;

    private final Map<String, String> params;
    /** Characters of every string replaced so far. */
    private long expanded;
    private final Map<String, String> env;
    private final boolean paramsAllowed;
    private final Problems problems;

    /** Parameters declared without a value: already reported at their declaration, not again at each use. */
    private final java.util.Set<String> declaredWithoutValue;

    /** {@code params} is {@code null} while the params block itself is read: params may use env only. */
    Interpolator(Map<String, String> params, Map<String, String> env, Problems problems) {
        this(params, java.util.Set.of(), env, problems);
    }

    Interpolator(Map<String, String> params, java.util.Set<String> declaredWithoutValue, Map<String, String> env,
            Problems problems) {
        this.params = params == null ? Map.of() : params;
        this.paramsAllowed = params != null;
        this.declaredWithoutValue = declaredWithoutValue;
        this.env = env;
        this.problems = problems;
    }

    ConfigNode apply(ConfigNode node) {
        return switch (node.kind()) {
            case SCALAR -> node.value() instanceof String s && s.contains("${{")
                    ? ConfigNode.scalar(node.path(), node.location(), substitute(node, s))
                    : node;
            case LIST -> {
                List<ConfigNode> items = new ArrayList<>();
                node.items().forEach(i -> items.add(apply(i)));
                yield ConfigNode.list(node.path(), node.location(), items);
            }
            case MAP -> {
                Map<String, ConfigNode> entries = new LinkedHashMap<>();
                node.entries().forEach((k, v) -> entries.put(k, apply(v)));
                yield ConfigNode.map(node.path(), node.location(), entries);
            }
        };
    }

    private String substitute(ConfigNode node, String text) {
        Matcher m = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = lookup(node, m.group(1), m.group(2), m.group(3));
            String replacement = value == null ? m.group() : value;
            if (expanded + out.length() + replacement.length() + text.length() > MAX_EXPANDED_CHARS) {
                problems.error(node, "the pipeline grows to more than " + MAX_EXPANDED_CHARS + " characters once"
                        + " ${{ params.* }} and ${{ env.* }} are replaced (here by '" + m.group(1) + "." + m.group(2)
                        + "'); use fewer or shorter references");
                problems.throwIfAny();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        String result = out.toString();
        expanded += result.length();
        if (LEFTOVER.matcher(text.replaceAll(EXPRESSION.pattern(), "")).find()) {
            problems.error(node, "malformed expression in \"" + text + "\"; write ${{ params.NAME }} or ${{ env.NAME }}"
                    + " (optionally ${{ env.NAME || 'fallback' }})");
        }
        return result;
    }

    private String lookup(ConfigNode node, String scope, String name, String fallback) {
        if (scope.equals("env")) {
            String value = env.get(name);
            if (value == null && fallback == null) {
                problems.error(node, "environment variable '" + name + "' is not set; set it or write"
                        + " ${{ env." + name + " || 'fallback' }}");
            }
            return value != null ? value : fallback;
        }
        if (!paramsAllowed) {
            problems.error(node, "a parameter's default cannot use other parameters (${{ params." + name + " }})");
            return null;
        }
        String value = params.get(name);
        if (value == null && fallback == null && !declaredWithoutValue.contains(name)) {
            problems.error(node, "unknown parameter '" + name + "'" + Suggestions.didYouMean(name, params.keySet())
                    + "; declare it under 'params:'");
        }
        return value != null ? value : fallback;
    }
}
