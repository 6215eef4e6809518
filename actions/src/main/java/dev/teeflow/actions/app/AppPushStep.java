package dev.teeflow.actions.app;

import dev.teeflow.actions.docker.DockerEngine;
import dev.teeflow.actions.docker.ImagePush;
import dev.teeflow.actions.docker.ImageReference;
import dev.teeflow.actions.docker.RegistryClient;
import dev.teeflow.actions.net.Retries;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.spi.Field;
import dev.teeflow.engine.spi.StepOutput;
import dev.teeflow.engine.spi.StepProblems;
import dev.teeflow.engine.spi.StepSchema;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import java.util.Optional;

/**
 * {@code app.push}: tags the image as {@code repository:tag}, pushes it, then asks the registry
 * itself for the manifest digest (v2 schema 2), which becomes the app's checksum. Up to date while the
 * registry still serves that digest for the tag.
 *
 * <p>Inputs: {@code image} (local reference or id), {@code image-id} (when given, what is pushed: the
 * content, whatever the local name points to now), {@code repository}, {@code tag}, {@code username},
 * {@code password} (a secret reference), {@code insecure} (plain HTTP; default true only for loopback
 * registries). Outputs: {@code multiaddr} ({@code repository:tag}), {@code checksum}
 * ({@code 0x} + digest hex), {@code digest} ({@code sha256:...}).
 */
public final class AppPushStep implements StepType {
    public static final String ID = "app.push";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Effect effect() {
        return Effect.EXTERNAL;
    }

    static final StepSchema SCHEMA = StepSchema.builder("Tags the image as repository:tag, pushes it, then asks the"
                    + " registry for the manifest digest, which becomes the app's checksum.")
            .field(Field.text("image").required().doc("the local image reference or id (normally the tee step's output)"))
            .field(Field.text("image-id").doc("when given, what is pushed: the content, whatever the local name points to now"))
            .field(Field.text("repository").required().doc("the registry repository, such as registry.example.org/tee-app"))
            .field(Field.text("tag").required().doc("the tag to push"))
            .field(Field.text("username").doc("the registry user"))
            .field(Field.secret("password").doc("the registry password"))
            .field(Field.bool("insecure").doc("plain HTTP (default: only for loopback registries)"))
            .output(StepOutput.text("multiaddr", "repository:tag, as the app's multiaddr"))
            .output(StepOutput.text("checksum", "0x + the manifest digest's hex"))
            .output(StepOutput.text("digest", "the manifest digest, sha256:..."))
            .build();

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    /** A password goes with a user name. */
    @Override
    public void validate(StepSpec spec, Problems problems) {
        if (spec.inputs().get("password") != null && spec.inputs().get("username") == null) {
            StepProblems.error(spec, problems, "password", "'password' needs a 'username'");
        }
    }

    private static ImageReference reference(Inputs in) {
        try {
            return ImageReference.of(in.string("repository"), in.string("tag"));
        } catch (IllegalArgumentException e) {
            throw new TeeflowException(in.owner() + ": " + e.getMessage());
        }
    }

    private static RegistryClient registry(StepContext ctx, Inputs in, ImageReference ref) {
        String username = in.string("username", null);
        String password = in.optionalSecret("password").map(Secret::text).orElse(null);
        return new RegistryClient(username, password, in.bool("insecure", ref.isLoopback()), Retries.policy(ctx),
                ctx.log()::warn);
    }

    @Override
    public String preview(StepContext ctx) {
        return "push " + reference(ctx.inputs()).reference();
    }

    @Override
    public Outputs run(StepContext ctx) throws Exception {
        Inputs in = ctx.inputs();
        ImageReference ref = reference(in);
        String image = in.string("image-id", in.string("image"));
        String username = in.string("username", null);
        Optional<Secret> password = in.optionalSecret("password");
        password.ifPresent(ctx.redactor()::register);
        if (username == null && !ref.isLoopback()) {
            ctx.log().warn("pushing to " + ref.registry() + " without credentials (set push.username and push.password)");
        }
        DockerEngine engine = DockerEngine.of(ctx);
        engine.tag(image, ref.repository(), ref.tag());
        ctx.log().info("docker push " + ref.reference());
        try {
            ImagePush.push(engine, ref, username, password.map(Secret::text).orElse(null), ctx.log()::output,
                    Retries.policy(ctx), ctx.log()::warn);
        } catch (TeeflowException e) {
            throw new TeeflowException(ctx.redactor().redact(ctx.address() + ": " + e.getMessage()), e);
        }
        String digest = registry(ctx, in, ref).manifestDigest(ref).orElseThrow(() -> new TeeflowException(
                ctx.address() + ": registry " + ref.registry() + " does not serve " + ref.reference() + " right after the push"));
        String checksum = "0x" + digest.substring(digest.indexOf(':') + 1);
        ctx.log().info("pushed " + ref.reference() + " " + digest);
        return Outputs.builder()
                .put("multiaddr", ref.reference())
                .put("checksum", checksum)
                .put("digest", digest)
                .build();
    }

    @Override
    public Check verify(StepContext ctx, Outputs recorded) throws Exception {
        Inputs in = ctx.inputs();
        ImageReference ref = reference(in);
        String expected = recorded.string("digest").orElse(null);
        if (expected == null) {
            return Check.gone("no digest recorded");
        }
        Optional<String> served = registry(ctx, in, ref).manifestDigest(ref);
        if (served.isEmpty()) {
            return Check.gone("registry " + ref.registry() + " no longer has " + ref.reference());
        }
        if (!served.get().equals(expected)) {
            return Check.gone(ref.reference() + " now points to " + served.get() + ", not " + expected);
        }
        return Check.holds();
    }
}
