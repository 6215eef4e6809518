package dev.teeflow.cli;

import dev.teeflow.cli.iexec.IexecProject;
import dev.teeflow.cli.iexec.IexecTranslation;
import dev.teeflow.cli.init.ScaffoldChoices;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code teeflow init --from-iexec}: writes teeflow.yml from an iExec CLI project, and nothing else. */
final class FromIexec {
    private static final List<String> PIPELINE_FILES = List.of("teeflow.yml", "teeflow.yaml", "teeflow.groovy");
    private final Terminal terminal;

    FromIexec(Terminal terminal) {
        this.terminal = terminal;
    }

    int translate(Path folder, String name, List<String> scaffoldOptions) throws IOException {
        if (!scaffoldOptions.isEmpty()) {
            terminal.err.println("error: --from-iexec takes the project as it is: " + String.join(", ", scaffoldOptions)
                    + " apply only to a new scaffold");
            return Main.INVALID;
        }
        if (!Files.isDirectory(folder)) {
            throw new TeeflowException(folder + " is not a folder: give the iExec CLI project's folder");
        }
        for (String f : PIPELINE_FILES) {
            if (Files.exists(folder.resolve(f))) {
                terminal.err.println("error: " + folder.resolve(f) + " already exists; nothing was written (a pipeline file is"
                        + " never replaced: move it away to translate the iExec CLI project again)");
                return Main.INVALID;
            }
        }
        String pipelineName = name != null ? name
                : ScaffoldChoices.nameFrom(folder.getFileName() == null ? "" : folder.getFileName().toString());
        IexecTranslation t;
        try {
            t = IexecTranslation.of(IexecProject.read(folder), pipelineName);
        } catch (TeeflowException e) {
            // a project the translation cannot read is bad input, like an invalid pipeline: exit 2, nothing written
            terminal.err.println("error: " + e.getMessage() + "; nothing was written");
            return Main.INVALID;
        }
        Path out = folder.resolve("teeflow.yml");
        try {
            AtomicFiles.writeBytes(out, AtomicFiles.READABLE, t.yaml().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TeeflowException("cannot write " + out + ": " + e.getMessage(), e);
        }
        terminal.out.println(terminal.green("created") + " " + out + " from the iExec CLI project");
        if (!t.notTranslated().isEmpty()) {
            terminal.out.println("Not translated:");
            t.notTranslated().forEach(n -> terminal.out.println("  - " + n));
        }
        terminal.out.println("Keep teeflow's state (.teeflow/, which holds keys) and results (out/) out of git, as .secrets/ is.");
        terminal.out.println("Next: 'teeflow import' adopts what the iExec CLI deployed; 'teeflow plan' then shows what apply still does.");
        return Main.OK;
    }
}
