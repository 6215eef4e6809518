package dev.teeflow.cli;

import dev.teeflow.cli.init.InitQuestions;
import dev.teeflow.cli.init.Scaffold;
import dev.teeflow.cli.init.ScaffoldChoices;
import dev.teeflow.cli.init.Templates;
import dev.teeflow.engine.TeeflowException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "init", description = {
        "Starts a new project in DIR: teeflow.yml, a small app that reads its dataset, secret and args and writes "
                + "computed.json, its Dockerfile, .dockerignore, .gitignore and a README with the commands to run it on the devnet.",
        "On a terminal it asks a few questions; with --yes, in CI or without a terminal it asks nothing and takes "
                + "the template's choices and the options given. Never overwrites a file unless --force.",
        "With --from-iexec it writes only teeflow.yml, translated from the iExec CLI project in DIR (iexec.json, chain.json, "
                + "deployed.json, datasets/, .secrets/ referenced as file: and never copied, the Dockerfile as a hint), names what "
                + "it could not translate, and never replaces an existing pipeline file; then 'teeflow import' adopts what is deployed."})
final class InitCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "The project folder (created if missing; default: the current folder).")
    Path dir;

    @Option(names = "--template", paramLabel = "NAME", description = "python-dataset (default), python, javascript-dataset or javascript: "
            + "a language, with a dataset and a requester secret, or with task args only.")
    String template;

    @Option(names = "--name", description = "The project's name (default: the folder's name): names the pipeline, the app and its image.")
    String name;

    @Option(names = "--language", description = "python or javascript.")
    String language;

    @Option(names = "--tee", description = "The TEE framework: tdx (default; the devnet's and Arbitrum's) or scone (Bellecour's).")
    String tee;

    @Option(names = "--dataset", negatable = true, description = "With an encrypted dataset (--no-dataset: without).")
    Boolean dataset;

    @Option(names = "--input", description = "How the requester gives the app its input: secret (a requester secret) or args (task args).")
    String input;

    @Option(names = "--target", description = "devnet (default), arbitrum-sepolia, arbitrum or bellecour.")
    String target;

    @Option(names = {"-y", "--yes"}, description = "Ask nothing: take the template's choices and the options given.")
    boolean yes;

    @Option(names = "--force", description = "Overwrite files that already exist.")
    boolean force;

    @Option(names = "--from-iexec", description = "Translate the iExec CLI project in DIR into teeflow.yml (see above).")
    boolean fromIexec;

    InitCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        Path folder = (dir == null ? Path.of("") : dir).toAbsolutePath().normalize();
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new TeeflowException(folder + " is a file, not a folder");
        }
        if (fromIexec) {
            return new FromIexec(ctx.terminal).translate(folder, name, optionsGiven());
        }
        ScaffoldChoices choices = decide(folder);
        Scaffold scaffold = Scaffold.of(choices);
        List<String> existing = scaffold.existingIn(folder);
        if (!existing.isEmpty() && !force) {
            ctx.terminal.err.println("error: " + folder + " already has " + String.join(", ", existing)
                    + "; nothing was written. Use another folder, or --force to overwrite them.");
            return Main.INVALID;
        }
        Files.createDirectories(folder);
        scaffold.writeTo(folder);
        printDone(folder, choices, scaffold);
        return Main.OK;
    }

    /** The scaffold's options given on the command line, which --from-iexec does not take. */
    private List<String> optionsGiven() {
        List<String> given = new java.util.ArrayList<>();
        if (template != null) given.add("--template");
        if (language != null) given.add("--language");
        if (tee != null) given.add("--tee");
        if (dataset != null) given.add("--dataset");
        if (input != null) given.add("--input");
        if (target != null) given.add("--target");
        if (force) given.add("--force");
        return given;
    }

    private ScaffoldChoices decide(Path folder) throws IOException {
        String t = template == null ? Templates.DEFAULT : template;
        if (!Templates.names().contains(t)) {
            throw usage("unknown template '" + t + "'; one of: " + String.join(", ", Templates.names()));
        }
        String folderName = folder.getFileName() == null ? "" : folder.getFileName().toString();
        ScaffoldChoices preset;
        try {
            preset = Templates.choices(t, name == null ? ScaffoldChoices.nameFrom(folderName) : name,
                    tee == null ? "tdx" : tee, target == null ? "devnet" : target).orElseThrow();
            preset = new ScaffoldChoices(preset.name(), language == null ? preset.language() : language, preset.tee(),
                    dataset == null ? preset.dataset() : dataset, input == null ? preset.input() : input, preset.target());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (yes || !ctx.terminal.interactive) {
            return preset;
        }
        return ask(preset);
    }

    /** Asks what the options and the template left open. */
    private ScaffoldChoices ask(ScaffoldChoices p) throws IOException {
        InitQuestions q = new InitQuestions(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), ctx.terminal.out);
        boolean fromTemplate = template != null;
        try {
            String n = name != null ? p.name() : q.text("Project name", p.name(), InitCommand::nameProblem);
            String lang = language != null || fromTemplate ? p.language() : q.choice("Language", ScaffoldChoices.LANGUAGES, p.language());
            String framework = tee != null ? p.tee() : q.choice("TEE framework", ScaffoldChoices.TEES, p.tee());
            boolean withDataset = dataset != null || fromTemplate ? p.dataset() : q.yesNo("With an encrypted dataset?", p.dataset());
            String in = input != null || fromTemplate ? p.input()
                    : q.choice("The requester's input, as", ScaffoldChoices.INPUTS, p.input());
            String where = target != null ? p.target() : q.choice("Target", ScaffoldChoices.TARGETS, p.target());
            return new ScaffoldChoices(n, lang, framework, withDataset, in, where);
        } catch (IOException e) {
            throw new TeeflowException(e.getMessage());
        }
    }

    private static String nameProblem(String n) {
        try {
            new ScaffoldChoices(n, "python", "tdx", false, "args", "devnet");
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private void printDone(Path folder, ScaffoldChoices c, Scaffold scaffold) {
        Terminal term = ctx.terminal;
        term.out.println(term.green("created") + " " + c.name() + " in " + folder + ": " + String.join(", ", scaffold.files().keySet()));
        Path here = Path.of("").toAbsolutePath();
        String cd = folder.equals(here) ? "" : "cd " + (folder.startsWith(here) ? here.relativize(folder) : folder) + " && ";
        String secret = c.input().equals("secret") ? "APP_SECRET=my-secret " : "";
        if (c.target().equals("devnet")) {
            term.out.println("Run it on the local devnet:");
            term.out.println("  teeflow devnet up");
            term.out.println("  " + cd + secret + "teeflow apply");
        } else {
            term.out.println("Run it on " + c.target() + " (README.md says what it needs: a registry, a wallet" + (c.dataset() ? ", a git repository" : "") + "):");
            term.out.println("  " + cd + secret + "teeflow apply -p registry=docker.io/me");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
