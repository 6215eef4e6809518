package dev.teeflow.engine.model;

/**
 * A reference to another step's output, written {@code ${{ app.checker.push.checksum }}} in a
 * pipeline file: the step address is everything before the last dot, the output name the last part.
 * These references are the edges of the graph.
 */
public record Ref(String address, String output) {
    /** Parses {@code app.checker.push.checksum}; returns {@code null} if there is no dot. */
    public static Ref parse(String expression) {
        String e = expression.trim();
        int dot = e.lastIndexOf('.');
        if (dot <= 0 || dot == e.length() - 1) {
            return null;
        }
        return new Ref(e.substring(0, dot), e.substring(dot + 1));
    }

    @Override
    public String toString() {
        return "${{ " + address + "." + output + " }}";
    }
}
