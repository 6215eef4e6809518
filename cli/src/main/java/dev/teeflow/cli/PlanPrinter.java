package dev.teeflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.run.StepOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plans and reports as a table for people and as versioned JSON for programs. */
final class PlanPrinter {
    /** Bump when the JSON's shape changes in a way that breaks readers. */
    static final int JSON_SCHEMA = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanPrinter() {
    }

    static void table(Plan plan, Terminal t) {
        int width = plan.steps().stream().mapToInt(s -> s.address().length()).max().orElse(4);
        t.out.println(t.bold("Plan for " + plan.pipeline() + ":"));
        for (PlannedStep s : plan.steps()) {
            String action = String.format("%-10s", s.action().label());
            action = switch (s.action()) {
                case UP_TO_DATE -> t.dim(action);
                case BLOCKED -> t.red(action);
                default -> t.yellow(action);
            };
            t.out.println("  " + action + " " + String.format("%-" + width + "s", s.address()) + "  " + t.dim(s.reason()));
            if (s.detail() != null) {
                t.out.println("  " + " ".repeat(11 + width) + "  " + s.detail());
            }
        }
        long run = plan.steps().stream().filter(s -> s.action().willRun()).count();
        t.out.println(run == 0 && plan.count(Action.BLOCKED) == 0
                ? "Nothing to do: every step is up to date."
                : run + " to run, " + plan.count(Action.UP_TO_DATE) + " up to date"
                        + (plan.count(Action.BLOCKED) > 0 ? ", " + plan.count(Action.BLOCKED) + " blocked" : "") + ".");
    }

    static String json(Plan plan) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", "teeflow.plan/v" + JSON_SCHEMA);
        doc.put("pipeline", plan.pipeline());
        doc.put("changes", plan.hasChanges());
        doc.put("steps", plan.steps().stream().map(s -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("address", s.address());
            row.put("type", s.type());
            row.put("effect", s.effect().name().toLowerCase());
            row.put("action", s.action().label());
            row.put("reason", s.reason());
            if (s.detail() != null) {
                row.put("detail", s.detail());
            }
            row.put("needs", s.upstream());
            return row;
        }).toList());
        return JSON.writeValueAsString(doc);
    }

    static void summary(Report report, Terminal t) {
        List<StepOutcome> o = report.outcomes();
        String line = report.count(StepOutcome.Status.DONE) + " done, "
                + report.count(StepOutcome.Status.UP_TO_DATE) + " up-to-date, "
                + report.count(StepOutcome.Status.FAILED) + " failed, "
                + report.count(StepOutcome.Status.NOT_RUN) + " not run";
        t.out.println();
        t.out.println(report.succeeded() ? t.green("Apply complete: " + line + ".") : t.red("Apply failed: " + line + "."));
        for (StepOutcome s : o) {
            if (s.status() == StepOutcome.Status.FAILED) {
                t.out.println(t.red("  failed:  ") + s.address() + ": " + s.message());
            } else if (s.status() == StepOutcome.Status.NOT_RUN) {
                t.out.println(t.yellow("  not run: ") + s.address() + ": " + s.message());
            }
        }
    }

    static String reportJson(Report report) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", "teeflow.report/v" + JSON_SCHEMA);
        doc.put("succeeded", report.succeeded());
        doc.put("steps", report.outcomes().stream().map(s -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("address", s.address());
            row.put("status", s.status().label());
            row.put("message", s.message());
            row.put("seconds", s.duration().toMillis() / 1000.0);
            return row;
        }).toList());
        return JSON.writeValueAsString(doc);
    }
}
