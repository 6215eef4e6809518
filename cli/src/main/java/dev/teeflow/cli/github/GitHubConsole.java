package dev.teeflow.cli.github;

import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.run.RunListener;
import dev.teeflow.engine.run.StepOutcome;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shows a run in a GitHub Actions log: each step's lines in its own collapsible group
 * ({@code ::group::<address>}), warnings and failures as annotations. GitHub groups cannot interleave,
 * so one step streams live while steps running beside it are held back and shown whole, each in its
 * own group, when they finish (or when the live group closes, so nobody waits long in silence).
 */
final class GitHubConsole implements RunListener {
    /** A held-back step keeps at most this many lines; the middle of a longer log is dropped. */
    static final int MAX_HELD_LINES = 5_000;
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final CommandStream commands;
    private String live;
    private final Map<String, HeldStep> held = new LinkedHashMap<>();
    private final Map<String, Long> lastProgress = new LinkedHashMap<>();

    GitHubConsole(PrintStream out, CommandStream commands) {
        this.out = out;
        this.commands = commands;
    }

    @Override
    public synchronized void stepStarted(PlannedStep step) {
        String header = "(" + step.action().label() + ": " + step.reason() + ")";
        if (live == null) {
            open(step.address());
            text(header);
        } else {
            held.computeIfAbsent(step.address(), a -> new HeldStep()).add(Line.text(header));
        }
    }

    @Override
    public synchronized void stepLog(String address, String kind, String line) {
        Line l = "warn".equals(kind) ? Line.warning(line) : Line.text(line);
        if (address.equals(live)) {
            emit(address, l);
        } else {
            held.computeIfAbsent(address, a -> new HeldStep()).add(l);
        }
    }

    @Override
    public synchronized void stepProgress(String address, String what, long done, long total, String unit) {
        if (!address.equals(live)) {
            return;
        }
        long now = System.nanoTime();
        Long last = lastProgress.get(address);
        boolean finished = total > 0 && done >= total;
        if (last == null || now - last >= PROGRESS_EVERY_NANOS || finished) {
            lastProgress.put(address, now);
            text(what + " " + done + (total > 0 ? " / " + total : "") + " " + unit);
        }
    }

    @Override
    public synchronized void stepFinished(StepOutcome o) {
        if (o.address().equals(live)) {
            finishLines(o).forEach(l -> emit(o.address(), l));
            close();
            showHeld();
        } else {
            HeldStep h = held.computeIfAbsent(o.address(), a -> new HeldStep());
            finishLines(o).forEach(h::add);
            h.finished = true;
            if (live == null) {
                showHeld();
            }
        }
    }

    /** Shows every finished held step, then makes the first still-running one live. */
    private void showHeld() {
        for (Iterator<Map.Entry<String, HeldStep>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, HeldStep> e = it.next();
            if (e.getValue().finished) {
                open(e.getKey());
                e.getValue().lines().forEach(l -> emit(e.getKey(), l));
                close();
                it.remove();
            }
        }
        if (!held.isEmpty()) {
            Map.Entry<String, HeldStep> next = held.entrySet().iterator().next();
            held.remove(next.getKey());
            open(next.getKey());
            next.getValue().lines().forEach(l -> emit(next.getKey(), l));
        }
    }

    private static List<Line> finishLines(StepOutcome o) {
        String time = o.duration().toMillis() >= 100 ? String.format(" in %.1fs", o.duration().toMillis() / 1000.0) : "";
        List<Line> lines = new ArrayList<>();
        switch (o.status()) {
            case DONE -> lines.add(Line.text("+ " + o.address() + " done" + time));
            case UP_TO_DATE -> lines.add(Line.text("= " + o.address() + " up-to-date"));
            case FAILED -> {
                lines.add(Line.text("x " + o.address() + " failed: " + o.message()));
                lines.add(Line.error(o.message()));
            }
            case NOT_RUN -> lines.add(Line.text("- " + o.address() + " not run: " + o.message()));
        }
        return lines;
    }

    private void open(String address) {
        live = address;
        commands.command("::group::" + address);
    }

    private void close() {
        commands.command("::endgroup::");
        live = null;
    }

    private void emit(String address, Line l) {
        switch (l.kind) {
            case WARNING -> commands.command("::warning title=" + WorkflowCommands.escapeProperty("teeflow " + address)
                    + "::" + WorkflowCommands.escapeData(l.text));
            case ERROR -> commands.command("::error title=" + WorkflowCommands.escapeProperty("teeflow " + address)
                    + "::" + WorkflowCommands.escapeData(l.text));
            case TEXT -> text(l.text);
        }
    }

    /** Plain text: written with commands stopped by the command stream. */
    private void text(String line) {
        out.println(line);
        out.flush();
    }

    private enum Kind { TEXT, WARNING, ERROR }

    private record Line(Kind kind, String text) {
        static Line text(String t) {
            return new Line(Kind.TEXT, t);
        }

        static Line warning(String t) {
            return new Line(Kind.WARNING, t);
        }

        static Line error(String t) {
            return new Line(Kind.ERROR, t);
        }
    }

    /** A step's lines kept while another step's group is open. */
    private static final class HeldStep {
        private final List<Line> head = new ArrayList<>();
        private final java.util.ArrayDeque<Line> tail = new java.util.ArrayDeque<>();
        private long dropped;
        boolean finished;

        void add(Line l) {
            if (head.size() < MAX_HELD_LINES / 2) {
                head.add(l);
                return;
            }
            tail.addLast(l);
            if (tail.size() > MAX_HELD_LINES / 2) {
                tail.removeFirst();
                dropped++;
            }
        }

        List<Line> lines() {
            List<Line> all = new ArrayList<>(head);
            if (dropped > 0) {
                all.add(Line.text("... " + dropped + " lines not shown ..."));
            }
            all.addAll(tail);
            return all;
        }
    }
}
