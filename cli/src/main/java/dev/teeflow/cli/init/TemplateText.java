package dev.teeflow.cli.init;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;

/**
 * The scaffold's tiny template language, so that the files stay readable as resources: {@code {{key}}} is
 * replaced by a value, and whole lines {@code @@if FLAG} / {@code @@else} / {@code @@end} (nestable) keep
 * or drop the lines between them. Nothing else is special, so {@code ${{ params.x }}} passes through.
 */
final class TemplateText {
    private TemplateText() {
    }

    static String render(String template, Map<String, String> values, Set<String> flags) {
        StringBuilder out = new StringBuilder();
        Deque<Boolean> keep = new ArrayDeque<>();
        Deque<Boolean> parentKeep = new ArrayDeque<>();
        boolean on = true;
        for (String line : template.split("\n", -1)) {
            String t = line.strip();
            if (t.startsWith("@@if ")) {
                parentKeep.push(on);
                boolean cond = flags.contains(t.substring(5).strip());
                keep.push(cond);
                on = on && cond;
            } else if (t.equals("@@else")) {
                boolean cond = !keep.pop();
                keep.push(cond);
                on = parentKeep.peek() && cond;
            } else if (t.equals("@@end")) {
                keep.pop();
                on = parentKeep.pop();
            } else if (on) {
                out.append(substitute(line, values)).append('\n');
            }
        }
        if (!keep.isEmpty()) {
            throw new IllegalStateException("unclosed @@if in a scaffold template");
        }
        // the split leaves one empty piece after the final newline
        return out.substring(0, Math.max(0, out.length() - 1));
    }

    private static String substitute(String line, Map<String, String> values) {
        String s = line;
        for (Map.Entry<String, String> e : values.entrySet()) {
            s = s.replace("{{" + e.getKey() + "}}", e.getValue());
        }
        return s;
    }
}
