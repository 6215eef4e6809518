package dev.teeflow.engine.secret;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Masks every known secret in text bound for a person or a file: the value itself, its base64 forms (also
 * where it sits inside longer base64 text, at each of the three byte alignments), its hex and URL-encoded
 * forms, and each line of a multi-line value. Every output path of the program goes through one
 * shared Redactor; a step registers a secret the moment it resolves or makes one.
 */
public final class Redactor {
    /**
     * Shorter fragments are not masked: masking "a" everywhere would destroy the output, not protect it.
     * A secret value this short is refused where it is resolved ({@link #isTooShortToMask}).
     */
    public static final int MIN_LENGTH = 4;
    public static final String MASK = "***";

    private final Set<String> needles = new LinkedHashSet<>();
    private volatile List<String> sorted = List.of();

    public void register(Secret secret) {
        register(secret.bytes());
    }

    public void register(String value) {
        register(value.getBytes(StandardCharsets.UTF_8));
    }

    public synchronized void register(byte[] value) {
        List<String> forms = new ArrayList<>();
        String text = new String(value, StandardCharsets.UTF_8);
        forms.add(text);
        forms.add(text.strip());
        for (String line : text.split("\\R")) {
            forms.add(line.strip());
        }
        forms.add(Base64.getEncoder().encodeToString(value));
        forms.add(Base64.getEncoder().withoutPadding().encodeToString(value));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(value));
        for (int shift = 0; shift < 3; shift++) {
            forms.add(base64Inside(value, shift, Base64.getEncoder()));
            forms.add(base64Inside(value, shift, Base64.getUrlEncoder()));
        }
        forms.add(URLEncoder.encode(text, StandardCharsets.UTF_8));
        forms.add(URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20"));
        String hex = HexFormat.of().formatHex(value);
        forms.add(hex);
        forms.add(hex.toUpperCase());
        boolean changed = false;
        for (String f : forms) {
            if (f.length() >= MIN_LENGTH) {
                changed |= needles.add(f);
            }
        }
        if (changed) {
            // Longest first, so a value is masked whole before any of its lines is.
            List<String> next = new ArrayList<>(needles);
            next.sort(Comparator.comparingInt(String::length).reversed());
            sorted = List.copyOf(next);
        }
    }

    /** True for a value that cannot be masked: 1 to {@code MIN_LENGTH - 1} characters once stripped. */
    public static boolean isTooShortToMask(String value) {
        int n = value.strip().length();
        return n > 0 && n < MIN_LENGTH;
    }

    /**
     * The base64 characters that depend on {@code value} alone when it starts {@code shift} bytes into a longer
     * encoded text ({@code printf "user:%s" "$S" | base64}): characters mixing in bits of the bytes before or
     * after it are left out.
     */
    static String base64Inside(byte[] value, int shift, Base64.Encoder encoder) {
        byte[] shifted = new byte[shift + value.length];
        System.arraycopy(value, 0, shifted, shift, value.length);
        String encoded = encoder.withoutPadding().encodeToString(shifted);
        int first = (8 * shift + 5) / 6;          // characters holding any bit of the bytes before
        int last = (8 * shifted.length) / 6;      // characters made of whole bits of these bytes only
        return first >= last ? "" : encoded.substring(first, last);
    }

    public boolean isEmpty() {
        return sorted.isEmpty();
    }

    /** The text with every known secret form replaced by {@value #MASK}. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String needle : sorted) {
            if (out.contains(needle)) {
                out = out.replace(needle, MASK);
            }
        }
        return out;
    }

    /** The known forms, for front-ends that must announce them (GitHub's {@code ::add-mask::}). */
    public List<String> maskedForms() {
        return sorted;
    }
}
