package dev.teeflow.cli.github;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.run.StepOutcome;
import dev.teeflow.engine.secret.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The job summary ({@code $GITHUB_STEP_SUMMARY}): the plan or the run as a markdown table and a
 * Mermaid graph. GitHub refuses a step summary over 1 MiB, and Mermaid refuses large graphs, so rows
 * stop at a byte budget with a note saying how many were left out, and a graph too big to draw is
 * replaced by a note.
 */
final class StepSummary {
    /** GitHub's limit for one step's summary. */
    static final int GITHUB_LIMIT = 1024 * 1024;
    /** Room kept for the closing note and for multi-byte surprises. */
    private static final int RESERVE = 4 * 1024;
    /** Mermaid's default maximum text size; GitHub shows an error instead of a larger graph. */
    static final int MERMAID_MAX = 50_000;

    private final StringBuilder md = new StringBuilder();
    private final int budget;

    /** A row of the table: the cells, already markdown-safe. */
    private record Row(String... cells) {
    }

    private StepSummary(int budget) {
        this.budget = budget;
    }

    static String forPlan(Plan plan, String mermaid, int budget) {
        long run = plan.steps().stream().filter(s -> s.action().willRun()).count();
        StepSummary s = new StepSummary(budget);
        s.md.append("## teeflow plan: ").append(cell(plan.pipeline())).append("\n\n");
        s.md.append(run == 0 && plan.count(Action.BLOCKED) == 0 ? "Nothing to do: every step is up to date."
                : run + " to run, " + plan.count(Action.UP_TO_DATE) + " up to date, "
                        + plan.count(Action.BLOCKED) + " blocked.").append("\n\n");
        String cost = dev.teeflow.cli.CostForecast.of(plan).totalLine();
        if (cost != null) {
            s.md.append(cell(cost)).append("\n\n");
        }
        List<Row> rows = new ArrayList<>();
        for (PlannedStep p : plan.steps()) {
            rows.add(new Row(p.action().label(), "`" + code(p.address()) + "`", cell(p.type()),
                    cell(p.reason() + (p.detail() == null ? "" : " — " + p.detail()))));
        }
        s.table(List.of("Action", "Step", "Type", "Reason"), rows);
        s.graph(mermaid, plan.steps().size());
        return s.md.toString();
    }

    static String forReport(String pipeline, Report report, Map<String, ? extends Collection<String>> upstream, int budget) {
        StepSummary s = new StepSummary(budget);
        s.md.append("## teeflow apply: ").append(cell(pipeline)).append(report.succeeded() ? " succeeded" : " failed")
                .append("\n\n");
        s.md.append(report.count(StepOutcome.Status.DONE)).append(" done, ")
                .append(report.count(StepOutcome.Status.UP_TO_DATE)).append(" up-to-date, ")
                .append(report.count(StepOutcome.Status.FAILED)).append(" failed, ")
                .append(report.count(StepOutcome.Status.NOT_RUN)).append(" not run.\n\n");
        List<Row> rows = new ArrayList<>();
        for (StepOutcome o : report.outcomes()) {
            rows.add(new Row(o.status().label(), "`" + code(o.address()) + "`",
                    String.format("%.1fs", o.duration().toMillis() / 1000.0), cell(o.message() == null ? "" : o.message())));
        }
        s.table(List.of("Status", "Step", "Time", "Message"), rows);
        s.graph(reportMermaid(report, upstream), report.outcomes().size());
        return s.md.toString();
    }

    private void table(List<String> header, List<Row> rows) {
        md.append("| ").append(String.join(" | ", header)).append(" |\n");
        md.append("|").append("---|".repeat(header.size())).append('\n');
        int shown = 0;
        long used = bytes(md);
        for (Row r : rows) {
            String line = "| " + String.join(" | ", r.cells()) + " |\n";
            used += bytes(line);
            if (used > budget - RESERVE) {
                break;
            }
            md.append(line);
            shown++;
        }
        if (shown < rows.size()) {
            md.append("\n> ").append(rows.size() - shown).append(" more steps are not shown: the summary is kept under")
                    .append(" GitHub's 1 MiB limit. The full list is in the job log.\n");
        }
        md.append('\n');
    }

    private void graph(String mermaid, int steps) {
        String block = "```mermaid\n" + mermaid + (mermaid.endsWith("\n") ? "" : "\n") + "```\n";
        if (mermaid.length() > MERMAID_MAX) {
            md.append("> The graph of ").append(steps).append(" steps is too large to draw here; run `teeflow graph` to get it.\n");
        } else if (bytes(md) + bytes(block) > budget - RESERVE) {
            md.append("> The graph is left out to keep the summary under GitHub's 1 MiB limit; run `teeflow graph` to get it.\n");
        } else {
            md.append(block);
        }
    }

    static String reportMermaid(Report report, Map<String, ? extends Collection<String>> upstream) {
        Map<String, String> ids = new HashMap<>();
        StringBuilder sb = new StringBuilder("flowchart LR\n");
        for (StepOutcome o : report.outcomes()) {
            String id = "s" + ids.size();
            ids.put(o.address(), id);
            sb.append("  ").append(id).append("[\"").append(o.address().replace("\"", "#quot;"))
                    .append("<br/><i>").append(o.status().label()).append("</i>\"]:::")
                    .append(o.status().name().toLowerCase().replace('_', '-')).append('\n');
        }
        for (StepOutcome o : report.outcomes()) {
            Collection<String> ups = upstream.get(o.address());
            for (String up : ups == null ? List.<String>of() : ups) {
                if (ids.containsKey(up)) {
                    sb.append("  ").append(ids.get(up)).append(" --> ").append(ids.get(o.address())).append('\n');
                }
            }
        }
        sb.append("  classDef done fill:#dfd,stroke:#393;\n");
        sb.append("  classDef up-to-date fill:#eee,stroke:#999;\n");
        sb.append("  classDef failed fill:#fdd,stroke:#c33;\n");
        sb.append("  classDef not-run fill:#ffd,stroke:#cc3;\n");
        return sb.toString();
    }

    /** Appends to the summary file, within what is left of GitHub's limit after earlier writers. */
    static void append(Path file, java.util.function.IntFunction<String> render, Redactor redactor) {
        try {
            long used = Files.exists(file) ? Files.size(file) : 0;
            int budget = (int) Math.max(0, GITHUB_LIMIT - used);
            if (budget < 2 * RESERVE) {
                return;
            }
            Files.writeString(file, redactor.redact(render.apply(budget)), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new TeeflowException("cannot write the job summary to $GITHUB_STEP_SUMMARY (" + file + "): " + e.getMessage());
        }
    }

    /** Text made safe for a table cell: no pipes, no raw HTML, no line breaks. */
    static String cell(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
                .replace("\r", "").replace("\n", "<br>");
    }

    private static String code(String s) {
        return s.replace("`", "'").replace("|", "\\|");
    }

    private static int bytes(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
