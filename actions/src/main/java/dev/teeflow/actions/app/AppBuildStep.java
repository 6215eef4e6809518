package dev.teeflow.actions.app;

import dev.teeflow.actions.docker.BuildContext;
import dev.teeflow.actions.docker.DockerEngine;
import dev.teeflow.actions.docker.ImageBuild;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.Field;
import dev.teeflow.engine.spi.FieldKind;
import dev.teeflow.engine.spi.StepOutput;
import dev.teeflow.engine.spi.StepSchema;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code app.build}: builds a Docker image from a context folder. The context enters the cache key
 * filtered by its {@code .dockerignore}, so an unchanged context is up to date without asking Docker.
 *
 * <p>Inputs: {@code context} (default "."), {@code dockerfile} (relative to the context, default
 * "Dockerfile"), {@code args}, {@code labels} (maps), {@code target}, {@code platform}, {@code tag}.
 * Outputs: {@code image-id} ({@code sha256:...}) and {@code image} (the local tag).
 */
public final class AppBuildStep implements StepType {
    public static final String ID = "app.build";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Effect effect() {
        return Effect.PURE;
    }

    static final StepSchema SCHEMA = StepSchema.builder("Builds a Docker image from a context folder; the context"
                    + " (filtered by its .dockerignore) enters the cache key, so an unchanged one is up to date without Docker.")
            .field(Field.path("context").withDefault(".").doc("the build context folder"))
            .field(Field.path("dockerfile").withDefault("Dockerfile").doc("the Dockerfile, relative to the context"))
            .field(Field.map("args", FieldKind.TEXT).doc("build arguments"))
            .field(Field.map("labels", FieldKind.TEXT).doc("image labels"))
            .field(Field.text("target").doc("the build stage to stop at"))
            .field(Field.text("platform").doc("the platform to build for, such as linux/amd64"))
            .field(Field.text("tag").doc("the local tag to give the image"))
            // Only shapes which files the context holds, which the context's digest already shows: keyed on its
            // own it would re-run every build recorded before it.
            .field(Field.list("teeflow-owned", FieldKind.PATH).unkeyed()
                    .doc("files teeflow writes or reads (the pipeline file, fetch folders), kept out of the context"))
            .output(StepOutput.text("image-id", "the image id, sha256:..."))
            .output(StepOutput.text("image", "the local tag (or the id when no tag is given)"))
            .build();

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    static Path contextDir(Inputs in) {
        return in.resolvePath("context", in.string("context", "."));
    }

    static Path dockerfile(Inputs in) {
        Path context = contextDir(in);
        Path file = context.resolve(in.string("dockerfile", "Dockerfile")).normalize();
        // Checked like any other path: it must stay in the project unless the pipeline allows otherwise.
        return in.resolvePath("dockerfile", in.projectDir().relativize(file).toString());
    }

    @Override
    public List<InputFile> inputFiles(Inputs in) {
        Path context = contextDir(in);
        Path dockerfile = dockerfile(in);
        BuildContext buildContext;
        try {
            buildContext = BuildContext.of(context, teeflowOwned(in, context));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            throw new TeeflowException(in.owner() + ": " + context.resolve(".dockerignore") + ": " + e.getMessage());
        }
        List<InputFile> files = new ArrayList<>();
        String dockerfileRel = dockerfile.startsWith(context) ? context.relativize(dockerfile).toString().replace('\\', '/') : null;
        files.add(new InputFile("context", context, rel -> rel.equals(dockerfileRel) || buildContext.includes(rel)));
        if (dockerfileRel == null) {
            files.add(InputFile.of("dockerfile", dockerfile));
        }
        return files;
    }

    @Override
    public Outputs run(StepContext ctx) throws Exception {
        Inputs in = ctx.inputs();
        Path context = contextDir(in);
        Path dockerfile = dockerfile(in);
        if (!Files.isDirectory(context)) {
            throw new TeeflowException(ctx.address() + ": context folder " + context + " does not exist");
        }
        if (!Files.isRegularFile(dockerfile)) {
            throw new TeeflowException(ctx.address() + ": Dockerfile " + dockerfile + " does not exist"
                    + " (field 'dockerfile' is relative to the context folder)");
        }
        String tag = in.string("tag", null);
        ImageBuild build = new ImageBuild(BuildContext.of(context, teeflowOwned(in, context)), dockerfile)
                .args(stringMap(in, "args"))
                .labels(stringMap(in, "labels"))
                .target(in.string("target", null))
                .platform(in.string("platform", null))
                .tag(tag);
        DockerEngine engine = DockerEngine.of(ctx);
        ctx.log().info("docker build " + context + (tag == null ? "" : " -t " + tag) + " on " + engine.host());
        String imageId = build.run(engine, ctx.address(), ctx.log()::output);
        ctx.log().info("built " + imageId);
        return Outputs.builder()
                .put("image-id", imageId)
                .put("image", tag == null ? imageId : tag)
                .build();
    }

    /** {@code teeflow-owned} (project-relative) as paths relative to the context, where inside it. */
    static List<String> teeflowOwned(Inputs in, Path context) {
        List<String> out = new ArrayList<>();
        if (!in.has("teeflow-owned")) {
            return out;
        }
        for (String written : in.strings("teeflow-owned")) {
            Path p = in.projectDir().toAbsolutePath().resolve(written).normalize();
            if (p.startsWith(context) && !p.equals(context)) {
                out.add(context.relativize(p).toString().replace('\\', '/'));
            }
        }
        return out;
    }

    static Map<String, String> stringMap(Inputs in, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        Inputs child = in.child(key);
        child.asMap().forEach((k, v) -> out.put(k, child.string(k)));
        return out;
    }
}
