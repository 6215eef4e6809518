package dev.teeflow.cli.init;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/** Asks one question at a time on a terminal; an empty answer takes the default shown in brackets. */
public final class InitQuestions {
    private final BufferedReader in;
    private final PrintStream out;

    public InitQuestions(BufferedReader in, PrintStream out) {
        this.in = in;
        this.out = out;
    }

    /** A free-text answer that must be valid for {@code check} (which returns an error, or null). */
    public String text(String question, String dflt, java.util.function.Function<String, String> check) throws IOException {
        while (true) {
            String answer = ask(question + " [" + dflt + "]: ");
            String value = answer.isEmpty() ? dflt : answer;
            String problem = check.apply(value);
            if (problem == null) {
                return value;
            }
            out.println("  " + problem);
        }
    }

    /** One of {@code options}, by name or by number. */
    public String choice(String question, List<String> options, String dflt) throws IOException {
        while (true) {
            StringBuilder q = new StringBuilder(question).append(' ');
            for (int i = 0; i < options.size(); i++) {
                q.append(i == 0 ? "(" : ", ").append(i + 1).append(") ").append(options.get(i));
            }
            String answer = ask(q.append(") [").append(dflt).append("]: ").toString());
            if (answer.isEmpty()) {
                return dflt;
            }
            if (options.contains(answer)) {
                return answer;
            }
            if (answer.matches("[0-9]{1,2}") && Integer.parseInt(answer) >= 1 && Integer.parseInt(answer) <= options.size()) {
                return options.get(Integer.parseInt(answer) - 1);
            }
            out.println("  please answer one of: " + String.join(", ", options));
        }
    }

    public boolean yesNo(String question, boolean dflt) throws IOException {
        while (true) {
            String answer = ask(question + (dflt ? " [Y/n]: " : " [y/N]: ")).toLowerCase(java.util.Locale.ROOT);
            if (answer.isEmpty()) {
                return dflt;
            }
            if (answer.equals("y") || answer.equals("yes")) {
                return true;
            }
            if (answer.equals("n") || answer.equals("no")) {
                return false;
            }
            out.println("  please answer y or n");
        }
    }

    private String ask(String prompt) throws IOException {
        out.print(prompt);
        out.flush();
        String line = in.readLine();
        if (line == null) {
            throw new IOException("the questions ended before they were answered (end of input); use --yes for the defaults");
        }
        return line.strip();
    }
}
