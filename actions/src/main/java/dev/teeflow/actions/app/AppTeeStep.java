package dev.teeflow.actions.app;

import dev.teeflow.actions.docker.DockerEngine;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code app.tee}: makes the image a worker will run from the built one.
 * <ul>
 * <li>{@code framework: tdx} (default, iExec SDK v9): the same image, tagged
 *     {@code <version>-tdx-<first 12 hex of the image id>}; empty mrenclave.</li>
 * <li>{@code framework: scone} (the tutorial): the sconify image converts it; the fingerprint is read
 *     with {@code SCONE_HASH=1}; mrenclave is the fixed-order JSON of {@link SconeMrEnclave}.</li>
 * <li>{@code framework: none}: a standard app, tagged {@code <version>}.</li>
 * </ul>
 * Inputs: {@code image-id} (from app.build), {@code repository} (local name for the result),
 * {@code version}; for scone also {@code name, entrypoint, binary, heap, fs-dir, host-path, dlopen,
 * binary-fs, sconify-image, scone-version}. Outputs: {@code image, image-id, tag, framework,
 * fingerprint, mrenclave}.
 */
public final class AppTeeStep implements StepType {
    public static final String ID = "app.tee";
    static final List<String> FRAMEWORKS = List.of("tdx", "scone", "none");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Effect effect() {
        return Effect.PURE;
    }

    @Override
    public Set<String> outputNames(StepSpec spec) {
        return Set.of("image", "image-id", "tag", "framework", "fingerprint", "mrenclave");
    }

    @Override
    public void validate(StepSpec spec, Problems problems) {
        Object framework = spec.inputs().get("framework");
        if (framework instanceof String f && !FRAMEWORKS.contains(f.toLowerCase(Locale.ROOT))) {
            problems.error(spec.location(), spec.address() + ".framework",
                    "unknown TEE framework '" + f + "'; expected one of " + String.join(", ", FRAMEWORKS));
        }
    }

    /** The TDX tag convention of iExec SDK v9 / iapp. */
    static String tdxTag(String version, String imageId) {
        String hex = imageId.startsWith("sha256:") ? imageId.substring("sha256:".length()) : imageId;
        if (hex.length() < 12) {
            throw new TeeflowException("image id '" + imageId + "' is too short for the TDX tag");
        }
        return version + "-tdx-" + hex.substring(0, 12);
    }

    @Override
    public Outputs run(StepContext ctx) throws Exception {
        Inputs in = ctx.inputs();
        String framework = in.string("framework", "tdx").toLowerCase(Locale.ROOT);
        String imageId = in.string("image-id");
        String repository = in.string("repository");
        String version = in.string("version", "latest");
        DockerEngine engine = DockerEngine.of(ctx);
        if (engine.imageId(imageId).isEmpty()) {
            throw new TeeflowException(ctx.address() + ": the built image " + imageId + " is no longer on the"
                    + " Docker engine (pruned?); re-run its build step (teeflow apply --replace <app>.build)");
        }
        Outputs.Builder out = Outputs.builder().put("framework", framework);
        switch (framework) {
            case "tdx", "none" -> {
                String tag = framework.equals("tdx") ? tdxTag(version, imageId) : version;
                engine.tag(imageId, repository, tag);
                ctx.log().info("tagged " + imageId + " as " + repository + ":" + tag);
                out.put("image", repository + ":" + tag).put("image-id", imageId).put("tag", tag)
                        .put("fingerprint", "").put("mrenclave", "");
            }
            case "scone" -> {
                String to = repository + ":" + version;
                Sconify.Result r = Sconify.run(ctx, engine, imageId, to);
                out.put("image", to).put("image-id", r.imageId()).put("tag", version)
                        .put("fingerprint", r.fingerprint()).put("mrenclave", r.mrenclave().json());
            }
            default -> throw new TeeflowException(ctx.address() + ": unknown TEE framework '" + framework
                    + "'; expected one of " + String.join(", ", FRAMEWORKS));
        }
        return out.build();
    }
}
