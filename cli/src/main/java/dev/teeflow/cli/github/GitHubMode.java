package dev.teeflow.cli.github;

import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.config.InvalidPipelineException;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.run.RunListener;
import dev.teeflow.engine.run.StepOutcome;
import dev.teeflow.engine.secret.Redactor;
import dev.teeflow.engine.spi.Outputs;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What teeflow does differently when it runs as a GitHub Actions step ({@code GITHUB_ACTIONS=true}):
 * announces secrets with {@code ::add-mask::}, keeps log text from issuing workflow commands, groups each
 * step's log, writes step outputs to {@code $GITHUB_OUTPUT} and a summary to {@code $GITHUB_STEP_SUMMARY},
 * and reports pipeline-file errors as annotations on the file. Everything reads the environment map
 * given to the CLI, so tests can simulate a runner.
 */
public final class GitHubMode {
    private final Map<String, String> env;
    private final Redactor redactor;
    private final CommandStream stdout;
    private final OutputStream stderr;

    private GitHubMode(Map<String, String> env, Redactor redactor, OutputStream rawOut, OutputStream rawErr) {
        this.env = env;
        this.redactor = redactor;
        this.stdout = new CommandStream(rawOut, redactor);
        this.stderr = stdout.stderr(rawErr);
    }

    /** GitHub mode for this environment, or {@code null} when not running under GitHub Actions. */
    public static GitHubMode detect(Map<String, String> env, Redactor redactor, OutputStream rawOut, OutputStream rawErr) {
        return "true".equalsIgnoreCase(env.getOrDefault("GITHUB_ACTIONS", "")) ? new GitHubMode(env, redactor, rawOut, rawErr) : null;
    }

    /** Where the (masking) standard output stream must write. */
    public OutputStream stdout() {
        return stdout;
    }

    public OutputStream stderr() {
        return stderr;
    }

    /** The run display: groups per step instead of the terminal's progress lines. */
    public RunListener console(PrintStream out) {
        return new GitHubConsole(out, stdout);
    }

    /** After {@code plan}: the job summary, and a {@code changes} output. */
    public void planFinished(Plan plan, String mermaid) {
        file("GITHUB_STEP_SUMMARY").ifPresent(f -> StepSummary.append(f, budget -> StepSummary.forPlan(plan, mermaid, budget), redactor));
        file("GITHUB_OUTPUT").ifPresent(f -> OutputsFile.append(f, Map.of("changes", String.valueOf(plan.hasChanges())), redactor));
    }

    /**
     * After {@code apply}: every recorded step output (read through {@code recorded}, one read of the state),
     * the aliases, and the job summary.
     */
    public void applyFinished(Engine engine, Report report, java.util.function.Function<String, Outputs> recorded) {
        Map<String, Outputs> outputs = new LinkedHashMap<>();
        Map<String, Set<String>> upstream = new LinkedHashMap<>();
        for (StepOutcome o : report.outcomes()) {
            upstream.put(o.address(), engine.graph().upstream(o.address()));
            if (o.status() == StepOutcome.Status.DONE || o.status() == StepOutcome.Status.UP_TO_DATE) {
                Outputs stepOutputs = recorded.apply(o.address());
                if (stepOutputs != null) {
                    outputs.put(o.address(), stepOutputs);
                }
            }
        }
        file("GITHUB_OUTPUT").ifPresent(f -> {
            Map<String, String> entries = new LinkedHashMap<>(OutputsFile.entries(outputs));
            entries.put("outputs", OutputsFile.json(entries));
            entries.put("succeeded", String.valueOf(report.succeeded()));
            OutputsFile.append(f, entries, redactor);
        });
        String name = engine.graph().pipeline().name();
        file("GITHUB_STEP_SUMMARY").ifPresent(f -> StepSummary.append(f,
                budget -> StepSummary.forReport(name, report, upstream, budget), redactor));
    }

    /** Pipeline-file problems as error annotations, shown on the file in the pull request. */
    public void reportError(Exception e) {
        if (!(e instanceof InvalidPipelineException invalid)) {
            stdout.command("::error title=teeflow::" + WorkflowCommands.escapeData(String.valueOf(e.getMessage())));
            return;
        }
        for (Diagnostic d : invalid.diagnostics()) {
            stdout.command(annotation(d));
        }
    }

    String annotation(Diagnostic d) {
        String message = (d.path() == null || d.path().isEmpty() ? "" : d.path() + ": ") + d.message();
        StringBuilder props = new StringBuilder();
        if (d.location() != null && d.location().file() != null) {
            props.append("file=").append(WorkflowCommands.escapeProperty(relativeToWorkspace(d.location().file())));
            if (d.location().line() > 0) {
                props.append(",line=").append(d.location().line());
                if (d.location().column() > 0) {
                    props.append(",col=").append(d.location().column());
                }
            }
            props.append(',');
        }
        props.append("title=teeflow");
        return "::error " + props + "::" + WorkflowCommands.escapeData(message);
    }

    /** GitHub places annotations by the path relative to the checkout. */
    private String relativeToWorkspace(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        String ws = env.get("GITHUB_WORKSPACE");
        if (ws != null && !ws.isBlank()) {
            Path root = Path.of(ws).toAbsolutePath().normalize();
            if (abs.startsWith(root)) {
                return root.relativize(abs).toString().replace('\\', '/');
            }
        }
        return abs.toString();
    }

    /** Leaves commands enabled and every mask announced. */
    public void finish() {
        stdout.finish();
    }

    private java.util.Optional<Path> file(String variable) {
        String v = env.get(variable);
        return v == null || v.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(v));
    }

    static List<String> aliasNames() {
        return OutputsFile.ALIASES.stream().map(OutputsFile.Alias::name).toList();
    }
}
