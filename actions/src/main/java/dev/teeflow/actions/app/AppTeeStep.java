package dev.teeflow.actions.app;

import dev.teeflow.actions.docker.DockerEngine;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.Field;
import dev.teeflow.engine.spi.FieldKind;
import dev.teeflow.engine.spi.StepOutput;
import dev.teeflow.engine.spi.StepSchema;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import java.util.List;
import java.util.Locale;

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

    static final StepSchema SCHEMA = StepSchema.builder("Makes the image a worker will run from the built one: tagged"
                    + " for TDX (the default), converted by sconify for SCONE, or only tagged for a standard app.")
            .field(Field.text("image-id").required().doc("the built image (normally the build step's output)"))
            .field(Field.text("repository").required().doc("the local repository name for the result"))
            .field(Field.text("version").withDefault("latest").doc("the version that names the tag"))
            .field(Field.text("framework").oneOf(FRAMEWORKS.toArray(String[]::new)).withDefault("tdx")
                    .doc("the TEE framework"))
            .field(Field.text("name").doc("scone: the session name"))
            .field(Field.text("entrypoint").doc("scone: the command the enclave runs"))
            .field(Field.text("binary").doc("scone: the binary to protect, such as /usr/local/bin/python3"))
            .field(Field.text("heap").withDefault("1G").doc("scone: the enclave heap size"))
            .field(Field.text("fs-dir").doc("scone: a folder whose files are protected"))
            .field(Field.list("host-path", FieldKind.TEXT).doc("scone: host files visible inside (default /etc/hosts, /etc/resolv.conf)"))
            .field(Field.text("dlopen").withDefault("1").doc("scone: the dlopen mode"))
            .field(Field.bool("binary-fs").withDefault(true).doc("scone: embed the file system in the binary"))
            .field(Field.text("sconify-image").withDefault(Sconify.DEFAULT_IMAGE).doc("scone: the sconify image"))
            .field(Field.text("scone-version").withDefault(Sconify.DEFAULT_VERSION).doc("scone: the SCONE version in mrenclave"))
            .output(StepOutput.text("image", "the image to push, repository:tag"))
            .output(StepOutput.text("image-id", "its id"))
            .output(StepOutput.text("tag", "its tag"))
            .output(StepOutput.text("framework", "the TEE framework"))
            .output(StepOutput.text("fingerprint", "scone: the enclave fingerprint (empty otherwise)"))
            .output(StepOutput.text("mrenclave", "scone: the mrenclave JSON for the app's deploy (empty otherwise)"))
            .build();

    @Override
    public StepSchema schema() {
        return SCHEMA;
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
