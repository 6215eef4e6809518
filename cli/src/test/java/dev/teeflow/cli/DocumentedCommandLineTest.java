package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.secret.Redactor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command and option {@code teeflow --help} lists is documented where users look: README.md or
 * docs/*.md. An option that exists only in the code is an option nobody has.
 *
 * <p>A command is documented when the docs name it ({@code teeflow state repair}, or {@code `state repair}
 * in a table). An option is documented when every one of its names appears in the docs ({@code --[no-]x}
 * counts for both {@code --x} and {@code --no-x}), and one of them appears in a section, paragraph or
 * table row that names its command, or in the README's "Common options" paragraph (for the options every
 * command shares).
 */
class DocumentedCommandLineTest {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();

    /**
     * Commands ({@code "state pull"}) and options ({@code "state pull --output"}, {@code "--version"} for the
     * top command) left out of the check on purpose, each with its reason. Hidden ones are checked too (a user
     * can type them): list them here. Keep it short.
     */
    static final Map<String, String> NOT_DOCUMENTED = Map.of(
            "help", "picocli's built-in 'teeflow help CMD', documented as such in the README's common options");

    static String docs;
    static List<String> units;
    static String commonOptions;

    @BeforeAll
    static void readDocs() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(REPO.resolve("README.md"));
        try (Stream<Path> s = Files.list(REPO.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        StringBuilder all = new StringBuilder();
        units = new ArrayList<>();
        for (Path page : pages) {
            String text = Files.readString(page);
            all.append(text).append("\n\n");
            // A section (heading to heading) that names a command documents the options its tables list.
            units.addAll(List.of(text.split("\n(?=#+ )")));
            for (String paragraph : text.split("\n\\s*\n")) {
                units.add(paragraph);
                // A table is one paragraph: each of its rows speaks of one thing.
                paragraph.lines().filter(l -> l.startsWith("|")).forEach(units::add);
            }
        }
        docs = all.toString();
        commonOptions = units.stream().filter(u -> u.startsWith("Common options:")).findFirst()
                .orElseThrow(() -> new AssertionError("README.md has no paragraph starting 'Common options:'"));
    }

    static CommandLine teeflow() {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        CliContext ctx = new CliContext(Map.of(), new Redactor(), Terminal.detect(nowhere, nowhere, true));
        CommandLine cli = new CommandLine(new TeeflowCommand(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                try {
                    return cls.getDeclaredConstructor(CliContext.class).newInstance(ctx);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(cls);
                }
            }
        });
        Main.addHelpEverywhere(cli);
        return cli;
    }

    static List<CommandSpec> allCommands(CommandLine cl) {
        List<CommandSpec> out = new ArrayList<>();
        out.add(cl.getCommandSpec());
        cl.getSubcommands().values().stream().distinct().forEach(sub -> out.addAll(allCommands(sub)));
        return out;
    }

    static String path(CommandSpec spec) {
        String q = spec.qualifiedName(" ");
        return q.equals("teeflow") ? "" : q.substring("teeflow ".length());
    }

    static boolean namesCommand(String text, String path) {
        return path.isEmpty() || text.contains("teeflow " + path) || text.contains("`" + path);
    }

    static boolean containsName(String text, String name) {
        if (name.startsWith("--") && text.contains("--[no-]" + name.replaceFirst("^--(no-)?", ""))) {
            return true;
        }
        return Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w-])").matcher(text).find();
    }

    static List<String> names(OptionSpec option) {
        List<String> out = new ArrayList<>(List.of(option.names()));
        if (option.negatable()) {
            for (String n : option.names()) {
                out.add(n.startsWith("--no-") ? "--" + n.substring(5) : n.replaceFirst("^--", "--no-"));
            }
        }
        return out;
    }

    @Test
    void everyCommandIsDocumented() {
        List<String> undocumented = new ArrayList<>();
        for (CommandSpec spec : allCommands(teeflow())) {
            String path = path(spec);
            if (!path.isEmpty() && !NOT_DOCUMENTED.containsKey(path) && !namesCommand(docs, path)) {
                undocumented.add("command 'teeflow " + path + "' is not named in README.md or docs/*.md"
                        + " (as `teeflow " + path + "`)");
            }
        }
        assertThat(undocumented).as(hint()).isEmpty();
    }

    @Test
    void everyOptionIsDocumented() {
        List<String> undocumented = new ArrayList<>();
        for (CommandSpec spec : allCommands(teeflow())) {
            String path = path(spec);
            if (NOT_DOCUMENTED.containsKey(path)) {
                continue;
            }
            for (OptionSpec option : spec.options()) {
                String where = "teeflow " + (path.isEmpty() ? "" : path + " ");
                if (NOT_DOCUMENTED.containsKey((path.isEmpty() ? "" : path + " ") + option.longestName())) {
                    continue;
                }
                for (String name : names(option)) {
                    if (!containsName(docs, name)) {
                        undocumented.add("option " + name + " of '" + where.strip() + "' appears nowhere in README.md or docs/*.md");
                    }
                }
                boolean besideItsCommand = names(option).stream().anyMatch(n -> containsName(commonOptions, n)
                        || units.stream().anyMatch(u -> namesCommand(u, path) && containsName(u, n)));
                if (!besideItsCommand) {
                    undocumented.add("option " + option.longestName() + " of '" + where.strip()
                            + "' is not documented beside its command (no section, paragraph or table row names both)");
                }
            }
        }
        assertThat(undocumented).as(hint()).isEmpty();
    }

    /** The other way round: every {@code --option} the docs show after {@code teeflow <command>} exists there. */
    @Test
    void everyOptionTheDocsShowExists() {
        CommandLine root = teeflow();
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        // "teeflow " up to the end of the command as written: a backtick, a comment, a pipe or redirect, a sentence's end
        var usage = Pattern.compile("teeflow ([^`#;>()\\n]*?)(?=`|\\s#|\\s>|(?<!\\\\)\\|(?!\\|)|;|\\.\\s|,\\s|\\(|\\)|\\n|$)");
        for (String line : docs.lines().toList()) {
            var m = usage.matcher(line);
            while (m.find()) {
                String[] words = m.group(1).strip().split("\\s+");
                CommandLine cl = root;
                int i = 0;
                while (i < words.length && cl.getSubcommands().containsKey(words[i])) {
                    cl = cl.getSubcommands().get(words[i++]);
                }
                if (cl == root) {
                    continue; // prose ("teeflow keeps ..."), not a command
                }
                for (; i < words.length; i++) {
                    String word = words[i].replaceAll("^\\[+|[\\]…,.]+$", "").replaceFirst("=.*", "");
                    if (!word.startsWith("--") || word.length() <= 2 || word.startsWith("--[no-]")) {
                        continue;
                    }
                    checked++;
                    if (cl.getCommandSpec().findOption(word) == null) {
                        wrong.add("'" + m.group(0).strip() + "': 'teeflow " + path(cl.getCommandSpec()) + "' has no option " + word);
                    }
                }
            }
        }
        assertThat(wrong).as("options the docs show (" + checked + " checked) that teeflow does not have").isEmpty();
        assertThat(checked).as("options found in the docs' teeflow commands").isGreaterThan(30);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyInputAndOutputOfTheGitHubActionIsDocumented() throws IOException {
        Map<String, Object> action = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(REPO.resolve("action.yml")));
        String page = Files.readString(REPO.resolve("docs/github-action.md"));
        List<String> undocumented = new ArrayList<>();
        for (String kind : List.of("inputs", "outputs")) {
            for (String name : ((Map<String, Object>) action.get(kind)).keySet()) {
                // an input appears in the page's example as "name:", an output in its table as `name`
                if (!page.contains(" " + name + ":") && !page.contains("`" + name + "`")) {
                    undocumented.add("action.yml " + kind.substring(0, kind.length() - 1) + " '" + name
                            + "' is not documented in docs/github-action.md");
                }
            }
        }
        assertThat(undocumented).isEmpty();
    }

    private static String hint() {
        return "Document each in README.md (the command table) or the docs/ page of its command;"
                + " see DocumentedCommandLineTest for what counts";
    }
}
