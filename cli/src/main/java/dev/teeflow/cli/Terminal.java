package dev.teeflow.cli;

import java.io.PrintStream;

/** Where and how to write for a person: colours and live lines only on an interactive terminal. */
final class Terminal {
    final PrintStream out;
    final PrintStream err;
    final boolean interactive;
    final boolean color;

    Terminal(PrintStream out, PrintStream err, boolean interactive, boolean color) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
        this.color = color;
    }

    static Terminal detect(PrintStream out, PrintStream err, boolean noColor) {
        boolean ci = System.getenv("CI") != null || System.getenv("GITHUB_ACTIONS") != null
                || System.getenv("JENKINS_URL") != null;
        String term = System.getenv("TERM");
        boolean interactive = System.console() != null && !ci && term != null && !term.equals("dumb");
        boolean color = interactive && !noColor && System.getenv("NO_COLOR") == null;
        return new Terminal(out, err, interactive, color);
    }

    String green(String s) {
        return paint("32", s);
    }

    String red(String s) {
        return paint("31", s);
    }

    String yellow(String s) {
        return paint("33", s);
    }

    String dim(String s) {
        return paint("2", s);
    }

    String bold(String s) {
        return paint("1", s);
    }

    private String paint(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
