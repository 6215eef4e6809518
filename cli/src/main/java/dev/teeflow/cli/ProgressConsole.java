package dev.teeflow.cli;

import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.run.RunListener;
import dev.teeflow.engine.run.StepOutcome;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shows a run as it happens: a line when a step starts and ends, its log lines indented under its
 * name, and progress of long work. On a terminal progress is one line redrawn in place; elsewhere
 * (CI, files) it is a plain line at most every few seconds, so logs stay readable.
 */
final class ProgressConsole implements RunListener {
    private static final long PLAIN_PROGRESS_EVERY_NANOS = 5_000_000_000L;
    private final Terminal t;
    private final Map<String, Long> lastProgress = new ConcurrentHashMap<>();
    private boolean statusLineShown;

    ProgressConsole(Terminal terminal) {
        this.t = terminal;
    }

    @Override
    public synchronized void stepStarted(PlannedStep step) {
        clearStatus();
        t.out.println(t.bold("> " + step.address()) + t.dim(" (" + step.action().label() + ": " + step.reason() + ")"));
    }

    @Override
    public synchronized void stepLog(String address, String kind, String line) {
        clearStatus();
        String prefix = "  " + address + " | ";
        switch (kind) {
            case "warn" -> t.out.println(prefix + t.yellow("warning: " + line));
            case "output" -> t.out.println(t.dim(prefix) + line);
            default -> t.out.println(prefix + line);
        }
    }

    @Override
    public synchronized void stepProgress(String address, String what, long done, long total, String unit) {
        String text = "  " + address + " | " + what + " " + amount(done, unit)
                + (total > 0 ? " / " + amount(total, unit) + " (" + (done * 100 / total) + "%)" : "");
        if (t.interactive) {
            t.out.print("\r\u001b[K" + text);
            t.out.flush();
            statusLineShown = true;
            return;
        }
        long now = System.nanoTime();
        Long last = lastProgress.get(address);
        boolean finished = total > 0 && done >= total;
        if (last == null || now - last >= PLAIN_PROGRESS_EVERY_NANOS || finished) {
            lastProgress.put(address, now);
            t.out.println(text);
        }
    }

    @Override
    public synchronized void stepFinished(StepOutcome o) {
        clearStatus();
        String time = o.duration().toMillis() >= 100 ? t.dim(String.format(" in %.1fs", o.duration().toMillis() / 1000.0)) : "";
        switch (o.status()) {
            case DONE -> t.out.println(t.green("+ " + o.address() + " done") + time);
            case UP_TO_DATE -> t.out.println(t.dim("= " + o.address() + " up-to-date"));
            case FAILED -> t.out.println(t.red("x " + o.address() + " failed: ") + o.message());
            case NOT_RUN -> t.out.println(t.yellow("- " + o.address() + " not run: ") + o.message());
        }
    }

    private void clearStatus() {
        if (statusLineShown) {
            t.out.print("\r\u001b[K");
            statusLineShown = false;
        }
    }

    static String amount(long n, String unit) {
        if (!"bytes".equals(unit)) {
            return n + " " + unit;
        }
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format("%.1f MiB", n / (1024.0 * 1024));
        }
        return String.format("%.2f GiB", n / (1024.0 * 1024 * 1024));
    }
}
