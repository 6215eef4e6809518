package dev.teeflow.engine.steps;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.hash.Hashing;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.files.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Writes a file from text ({@code content}) or copies one ({@code from}) to {@code path}, atomically.
 * Outputs: {@code path} (the file) and {@code sha256}.
 */
public final class FileStep implements StepType {
    @Override
    public String id() {
        return "file";
    }

    @Override
    public Effect effect() {
        return Effect.PURE;
    }

    @Override
    public Set<String> outputNames(StepSpec spec) {
        return Set.of("path", "sha256");
    }

    @Override
    public void validate(StepSpec spec, Problems problems) {
        if (spec.source() == null) {
            return;
        }
        MapReader r = new MapReader(spec.source(), problems);
        r.requiredString("path");
        if (r.has("content") == r.has("from")) {
            problems.error(spec.source(), "give either 'content' (the text to write) or 'from' (a file to copy)");
        }
        r.rejectUnknownKeys();
    }

    @Override
    public List<InputFile> inputFiles(Inputs inputs) {
        return inputs.has("from") ? List.of(InputFile.of("from", inputs.path("from"))) : List.of();
    }

    @Override
    public Outputs run(StepContext ctx) throws Exception {
        Inputs in = ctx.inputs();
        Path target = in.path("path");
        byte[] content;
        if (in.has("from")) {
            Path from = in.path("from");
            if (!Files.isRegularFile(from)) {
                throw new TeeflowException(ctx.address() + ": 'from' file " + from + " does not exist");
            }
            content = Files.readAllBytes(from);
        } else {
            content = in.string("content").getBytes(StandardCharsets.UTF_8);
        }
        AtomicFiles.write(target, content, false);
        ctx.log().info("wrote " + ctx.projectDir().relativize(target) + " (" + content.length + " bytes)");
        return Outputs.builder().file("path", target).put("sha256", Hashing.sha256Hex(content)).build();
    }
}
