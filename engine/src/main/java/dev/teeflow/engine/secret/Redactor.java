package dev.teeflow.engine.secret;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Masks every known secret in text bound for a person or a file: the value itself, its base64 and
 * hex forms, and each line of a multi-line value. Every output path of the program goes through one
 * shared Redactor; a step registers a secret the moment it resolves or makes one.
 */
public final class Redactor {
    /** Shorter fragments are not masked: masking "a" everywhere would destroy the output, not protect it. */
    static final int MIN_LENGTH = 4;
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
