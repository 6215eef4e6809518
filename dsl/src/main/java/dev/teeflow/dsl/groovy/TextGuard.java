package dev.teeflow.dsl.groovy;

import java.util.Optional;

/**
 * Looks at a script's text before the Groovy parser does, for the two shapes the parser itself is
 * slow on: deep bracket nesting (a thousand nested parentheses take it tens of seconds) and long
 * number literals (half a million digits take it seconds to convert). Strings and comments are
 * skipped roughly; this is a guard on time only, {@link DslChecker} decides what is allowed.
 */
final class TextGuard {
    /** Deepest nesting of (), [] and {} outside strings and comments. */
    static final int MAX_NESTING = 64;

    record Problem(int line, int column, String message) {
    }

    private TextGuard() {
    }

    static Optional<Problem> check(String text) {
        int line = 1;
        int column = 0;
        int depth = 0;
        int digits = 0;
        char quote = 0; // the quote of the string being read, 0 outside strings
        boolean triple = false;
        boolean lineComment = false;
        boolean blockComment = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            column++;
            if (c == '\n') {
                line++;
                column = 0;
                lineComment = false;
            }
            if (lineComment) {
                continue;
            }
            if (blockComment) {
                if (c == '*' && next(text, i) == '/') {
                    blockComment = false;
                    i++;
                    column++;
                }
                continue;
            }
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                    column++;
                } else if (c == quote && (!triple || text.startsWith(String.valueOf(quote).repeat(3), i))) {
                    if (triple) {
                        i += 2;
                        column += 2;
                    }
                    quote = 0;
                }
                continue;
            }
            digits = Character.isDigit(c) ? digits + 1 : 0;
            if (digits > DslChecker.MAX_NUMBER_DIGITS) {
                return Optional.of(new Problem(line, column - digits + 1, "numbers may have at most "
                        + DslChecker.MAX_NUMBER_DIGITS + " digits; write a longer one as text"));
            }
            switch (c) {
                case '/' -> {
                    if (next(text, i) == '/') {
                        lineComment = true;
                    } else if (next(text, i) == '*') {
                        blockComment = true;
                        i++;
                        column++;
                    }
                }
                case '\'', '"' -> {
                    quote = c;
                    triple = text.startsWith(String.valueOf(c).repeat(3), i);
                    if (triple) {
                        i += 2;
                        column += 2;
                    }
                }
                case '(', '[', '{' -> {
                    if (++depth > MAX_NESTING) {
                        return Optional.of(new Problem(line, column, "the script nests brackets deeper than "
                                + MAX_NESTING + " levels; flatten it"));
                    }
                }
                case ')', ']', '}' -> depth = Math.max(0, depth - 1);
                default -> {
                }
            }
        }
        return Optional.empty();
    }

    private static char next(String text, int i) {
        return i + 1 < text.length() ? text.charAt(i + 1) : 0;
    }
}
