package dev.teeflow.actions.app;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A SCONE heap size as written for sconify ({@code 1G}, {@code 512M}, {@code 1073741824}) in bytes. */
final class HeapSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]?)(I?B)?");

    private HeapSize() {
    }

    static long bytes(String written) {
        Matcher m = SIZE.matcher(written.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("heap '" + written + "' is not a size such as 1G, 512M or 1073741824");
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        return Math.multiplyExact(n, 1L << shift);
    }
}
