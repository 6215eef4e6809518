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
    /**
     * The plan's JSON: v2 added {@code cost} (the deals' forecast); v3 made it every costing step's typed
     * forecast ({@code cost.steps} replaced {@code cost.deals}) with gas ({@code gas-wei}, {@code gas-eth})
     * and the total {@code line}.
     */
    static final int PLAN_JSON_SCHEMA = 3;

    /** Made on first use: a plan printed as a table needs no JSON writer. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private PlanPrinter() {
    }

    /** The table, written in one piece: a plan of 10,000 steps is 10,000 lines. */
    static void table(Plan plan, Terminal t) {
        int width = plan.steps().stream().mapToInt(s -> s.address().length()).max().orElse(4);
        String nl = System.lineSeparator();
        StringBuilder out = new StringBuilder(64 + plan.steps().size() * (width + 48));
        out.append(t.bold("Plan for " + plan.pipeline() + ":")).append(nl);
        for (PlannedStep s : plan.steps()) {
            String action = padRight(s.action().label(), 10);
            action = switch (s.action()) {
                case UP_TO_DATE -> t.dim(action);
                case BLOCKED -> t.red(action);
                default -> t.yellow(action);
            };
            out.append("  ").append(action).append(' ').append(padRight(s.address(), width)).append("  ")
                    .append(t.dim(s.reason())).append(nl);
            if (s.detail() != null) {
                out.append("  ").append(" ".repeat(11 + width)).append("  ").append(s.detail()).append(nl);
            }
            if (s.cost() != null && s.action().willRun()) {
                out.append("  ").append(" ".repeat(11 + width)).append("  ").append(CostForecast.describe(s.cost())).append(nl);
            }
        }
        long run = plan.steps().stream().filter(s -> s.action().willRun()).count();
        out.append(run == 0 && plan.count(Action.BLOCKED) == 0
                ? "Nothing to do: every step is up to date."
                : run + " to run, " + plan.count(Action.UP_TO_DATE) + " up to date"
                        + (plan.count(Action.BLOCKED) > 0 ? ", " + plan.count(Action.BLOCKED) + " blocked" : "") + ".")
                .append(nl);
        String cost = CostForecast.of(plan).totalLine();
        if (cost != null) {
            out.append(cost).append(nl);
        }
        t.out.print(out);
        t.out.flush();
    }

    /** {@code String.format("%-Ns", s)} without the formatter's parsing, which showed in large plans. */
    private static String padRight(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    static String json(Plan plan) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", "teeflow.plan/v" + PLAN_JSON_SCHEMA);
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
        doc.put("cost", CostForecast.of(plan).toJson());
        return Json.MAPPER.writeValueAsString(doc);
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
        return reportJson(report, address -> null);
    }

    /**
     * The report as JSON; a step whose recorded outputs say whether its result was verified against the
     * chain (a fetch) also carries {@code verified} and {@code verification}.
     */
    static String reportJson(Report report, java.util.function.Function<String, dev.teeflow.engine.spi.Outputs> outputs)
            throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", "teeflow.report/v" + JSON_SCHEMA);
        doc.put("succeeded", report.succeeded());
        doc.put("steps", report.outcomes().stream().map(s -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("address", s.address());
            row.put("status", s.status().label());
            row.put("message", s.message());
            row.put("seconds", s.duration().toMillis() / 1000.0);
            dev.teeflow.engine.spi.Outputs out = outputs.apply(s.address());
            if (out != null && out.get("verified") instanceof Boolean verified) {
                row.put("verified", verified);
                row.put("verification", out.string("verification").orElse(""));
            }
            return row;
        }).toList());
        return Json.MAPPER.writeValueAsString(doc);
    }
}
