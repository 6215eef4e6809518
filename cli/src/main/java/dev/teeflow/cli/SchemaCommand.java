package dev.teeflow.cli;

import dev.teeflow.cli.reference.PipelineJsonSchema;
import dev.teeflow.cli.reference.ReferenceDocs;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "schema", description = {
        "Prints the JSON Schema of the pipeline file, for editors (the YAML language server completes and checks teeflow.yml",
        "with it), or with --markdown writes the reference pages of every section and step type."})
final class SchemaCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--markdown", paramLabel = "DIR", description = "Write the reference pages (Markdown) into DIR instead.")
    Path markdown;

    SchemaCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        Registry registry = Registry.load();
        if (markdown == null) {
            ctx.terminal.out.print(PipelineJsonSchema.json(registry));
            return Main.OK;
        }
        Map<String, String> pages = ReferenceDocs.pages(registry);
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Path file = markdown.resolve(page.getKey());
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, page.getValue().getBytes(StandardCharsets.UTF_8), false);
        }
        ctx.terminal.out.println("wrote " + pages.size() + " pages into " + markdown);
        return Main.OK;
    }
}
