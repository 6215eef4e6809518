package dev.teeflow.cli;

import dev.teeflow.cli.github.GitHubMode;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.config.InvalidPipelineException;
import dev.teeflow.engine.secret.Redactor;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code teeflow} command. Exit codes: 0 success or nothing to do; 1 a step or the run failed;
 * 2 bad usage or an invalid pipeline; {@code plan --detailed-exitcode} returns 2 when changes are pending.
 */
public final class Main {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command in this JVM, writing only through masked streams. */
    public static int run(String[] args, Map<String, String> env, PrintStream rawOut, PrintStream rawErr) {
        disablePicocliGroovyClosures();
        Redactor redactor = new Redactor();
        GitHubMode github = GitHubMode.detect(env, redactor, rawOut, rawErr);
        PrintStream out = new RedactingPrintStream(github == null ? rawOut : github.stdout(), redactor);
        PrintStream err = new RedactingPrintStream(github == null ? rawErr : github.stderr(), redactor);
        boolean noColor = java.util.Arrays.asList(args).contains("--no-color");
        boolean stacktrace = java.util.Arrays.asList(args).contains("--stacktrace");
        CliContext ctx = new CliContext(env, redactor, Terminal.detect(out, err, noColor), github);
        CommandLine cli = new CommandLine(new TeeflowCommand(), new ContextFactory(ctx));
        addHelpEverywhere(cli);
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExitCodeExceptionMapper(e -> e instanceof InvalidPipelineException ? INVALID : FAILED);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("error: " + e.getMessage());
            err.println("Run 'teeflow " + commandPath(e.getCommandLine()) + " --help' for usage.");
            return INVALID;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (github != null) {
                github.reportError(e);
            }
            report(e, err, stacktrace);
            return e instanceof InvalidPipelineException ? INVALID : FAILED;
        });
        try {
            return cli.execute(nestedHelp(args));
        } finally {
            ctx.closeAll();
            out.flush();
            err.flush();
            if (github != null) {
                github.finish();
            }
        }
    }

    /**
     * Groovy is on the class path (for teeflow.groovy pipelines), so picocli would look up
     * groovy.lang.Closure with Class.forName, which initializes the Groovy runtime: about half a
     * second of every command's start. We use no closures in annotations.
     */
    private static void disablePicocliGroovyClosures() {
        if (System.getProperty("picocli.disable.closures") == null) {
            System.setProperty("picocli.disable.closures", "true");
        }
    }

    /**
     * {@code help devnet up} as {@code devnet up --help}: the built-in help command looks at its first name
     * only, and would show devnet's help.
     */
    static String[] nestedHelp(String[] args) {
        if (args.length < 3 || !args[0].equals("help") || java.util.Arrays.stream(args).anyMatch(a -> a.startsWith("-"))) {
            return args;
        }
        String[] out = java.util.Arrays.copyOf(java.util.Arrays.copyOfRange(args, 1, args.length), args.length);
        out[args.length - 1] = "--help";
        return out;
    }

    /** {@code -h}/{@code --help} on every command and subcommand, however it was declared. */
    static void addHelpEverywhere(CommandLine cl) {
        var spec = cl.getCommandSpec();
        if (spec.optionsMap().get("--help") == null && spec.optionsMap().get("-h") == null
                && !(cl.getCommand() instanceof CommandLine.HelpCommand)) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help and exit.").build());
        }
        cl.getSubcommands().values().stream().distinct().forEach(Main::addHelpEverywhere);
    }

    private static String commandPath(CommandLine cl) {
        String name = cl.getCommandSpec().qualifiedName(" ");
        return name.startsWith("teeflow ") ? name.substring(8) : name.equals("teeflow") ? "" : name;
    }

    /** One clear line per error; a stack trace only when asked for. */
    static void report(Exception e, PrintStream err, boolean stacktrace) {
        if (e instanceof InvalidPipelineException invalid) {
            for (Diagnostic d : invalid.diagnostics()) {
                err.println("error: " + d);
            }
            err.println(invalid.diagnostics().size() == 1 ? "The pipeline is invalid." :
                    "The pipeline is invalid: " + invalid.diagnostics().size() + " problems.");
        } else if (e instanceof TeeflowException) {
            err.println("error: " + e.getMessage());
        } else {
            err.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (stacktrace ? "" : " (run with --stacktrace for details)"));
        }
        if (stacktrace) {
            e.printStackTrace(err);
        }
    }

    /** Gives commands the shared context through their constructors. */
    private record ContextFactory(CliContext ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                return cls.getDeclaredConstructor(CliContext.class).newInstance(ctx);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
