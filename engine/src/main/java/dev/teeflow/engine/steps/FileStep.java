package dev.teeflow.engine.steps;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.hash.Hashing;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.spi.Field;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepOutput;
import dev.teeflow.engine.spi.StepSchema;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.files.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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

    static final StepSchema SCHEMA = StepSchema.builder("Writes a file from text or copies one, atomically.")
            .field(Field.path("path").required().doc("the file to write"))
            .field(Field.text("content").doc("the text to write"))
            .field(Field.path("from").contentInKey().doc("a file to copy"))
            .exactlyOne("content", "from")
            .output(StepOutput.file("path", "the written file"))
            .output(StepOutput.text("sha256", "the sha256 of its content, in hex"))
            .build();

    @Override
    public StepSchema schema() {
        return SCHEMA;
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
