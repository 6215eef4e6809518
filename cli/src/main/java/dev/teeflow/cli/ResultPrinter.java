package dev.teeflow.cli;

import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.run.StepOutcome;
import dev.teeflow.engine.spi.Outputs;
import java.util.function.Function;

/**
 * Ends an apply with what the user came for: every step's {@value #OUTPUT} output (a task's result,
 * when it is short text), whether the step ran now or was already up to date.
 */
final class ResultPrinter {
    /** The output name a step uses for a short, human-readable result. */
    static final String OUTPUT = "result-text";

    private ResultPrinter() {
    }

    static void print(Function<String, Outputs> recorded, Report report, Terminal t) {
        boolean first = true;
        for (StepOutcome o : report.outcomes()) {
            if (o.status() != StepOutcome.Status.DONE && o.status() != StepOutcome.Status.UP_TO_DATE) {
                continue;
            }
            Outputs outputs = recorded.apply(o.address());
            if (outputs == null || outputs.string(OUTPUT).isEmpty()) {
                continue;
            }
            if (first) {
                t.out.println();
                t.out.println(t.bold("Results:"));
                first = false;
            }
            String text = outputs.string(OUTPUT).get().strip();
            String label = o.address().endsWith(".fetch") ? o.address().substring(0, o.address().length() - 6) : o.address();
            if (text.contains("\n")) {
                t.out.println("  " + label + ":");
                text.lines().forEach(line -> t.out.println("    " + line));
            } else {
                t.out.println("  " + label + ": " + text);
            }
            // a fetch says whether the result is the one the chain recorded
            outputs.string("verification").filter(v -> !v.isBlank()).ifPresent(v -> t.out.println("    (" + v + ")"));
        }
    }
}
