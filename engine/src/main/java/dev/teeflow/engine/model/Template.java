package dev.teeflow.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A string with embedded output references, such as {@code "image@${{ app.a.push.digest }}"}.
 * Parts are plain {@link String}s and {@link Ref}s.
 */
public record Template(List<Object> parts) {
    private static final String OPEN = "${{";
    private static final String CLOSE = "}}";

    public Template {
        parts = List.copyOf(parts);
    }

    /**
     * Turns written text into an input value: the text itself when it holds no reference, the
     * {@link Ref} when the whole text is one reference (so lists and numbers keep their type), else a
     * Template. Throws {@link IllegalArgumentException} on an unclosed or malformed reference.
     */
    public static Object parse(String text) {
        if (!text.contains(OPEN)) {
            return text;
        }
        List<Object> parts = new ArrayList<>();
        int pos = 0;
        while (pos < text.length()) {
            int open = text.indexOf(OPEN, pos);
            if (open < 0) {
                parts.add(text.substring(pos));
                break;
            }
            if (open > pos) {
                parts.add(text.substring(pos, open));
            }
            int close = text.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '${{' in \"" + text + "\"");
            }
            String expression = text.substring(open + OPEN.length(), close).trim();
            Ref ref = Ref.parse(expression);
            if (ref == null) {
                throw new IllegalArgumentException("'${{ " + expression + " }}' is not a reference of the form"
                        + " ${{ <step address>.<output> }}");
            }
            parts.add(ref);
            pos = close + CLOSE.length();
        }
        if (parts.size() == 1 && parts.get(0) instanceof Ref ref) {
            return ref;
        }
        return new Template(parts);
    }

    public List<Ref> refs() {
        List<Ref> refs = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof Ref r) {
                refs.add(r);
            }
        }
        return refs;
    }

    /** The text with each reference replaced by {@code resolve}'s answer. */
    public String render(Function<Ref, Object> resolve) {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            sb.append(p instanceof Ref r ? Objects.toString(resolve.apply(r)) : p);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        parts.forEach(sb::append);
        return sb.toString();
    }
}
