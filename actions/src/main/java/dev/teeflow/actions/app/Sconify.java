package dev.teeflow.actions.app;

import dev.teeflow.actions.docker.DockerEngine;
import dev.teeflow.actions.docker.PlainText;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tutorial's SCONE conversion: runs the sconify image with the engine's socket mounted so that it
 * can write the TEE image, then runs that image with {@code SCONE_HASH=1} to read its fingerprint.
 */
final class Sconify {
    /** The image the tutorial used (iExec's SCONE 5.7.5 sconifier for the v8 stack). */
    static final String DEFAULT_IMAGE = "docker-icbc.westeurope.cloudapp.azure.com/iexec-sconify-image:5.7.5-v8";
    static final String DEFAULT_VERSION = "v5";
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-fA-F]{64}");

    record Result(String imageId, String fingerprint, SconeMrEnclave mrenclave) {
    }

    private Sconify() {
    }

    /** The sconify_iexec command line, in the tutorial's order. */
    static List<String> command(Inputs in, String from, String to) {
        List<String> cmd = new ArrayList<>();
        cmd.add("sconify_iexec");
        cmd.add("--name=" + in.string("name"));
        cmd.add("--from=" + from);
        cmd.add("--to=" + to);
        if (in.bool("binary-fs", true)) {
            cmd.add("--binary-fs");
        }
        in.optionalString("fs-dir").ifPresent(d -> cmd.add("--fs-dir=" + d));
        List<String> hostPaths = in.has("host-path") ? in.strings("host-path") : List.of("/etc/hosts", "/etc/resolv.conf");
        hostPaths.forEach(p -> cmd.add("--host-path=" + p));
        cmd.add("--binary=" + in.string("binary"));
        cmd.add("--heap=" + in.string("heap", "1G"));
        cmd.add("--dlopen=" + in.string("dlopen", "1"));
        cmd.add("--no-color");
        cmd.add("--verbose");
        cmd.add("--command=" + in.string("entrypoint"));
        return cmd;
    }

    static Result run(StepContext ctx, DockerEngine engine, String fromImageId, String to) throws InterruptedException {
        Inputs in = ctx.inputs();
        String sconifyImage = in.string("sconify-image", DEFAULT_IMAGE);
        long heap;
        try {
            heap = HeapSize.bytes(in.string("heap", "1G"));
        } catch (IllegalArgumentException e) {
            throw new TeeflowException(ctx.address() + ": " + e.getMessage());
        }
        String socket = engine.socketPath().orElseThrow(() -> new TeeflowException(ctx.address()
                + ": SCONE conversion mounts the Docker socket into the sconify container, but DOCKER_HOST="
                + engine.host() + " is not a local unix socket"));
        ensureImage(ctx, engine, sconifyImage);

        List<String> command = command(in, fromImageId, to);
        ctx.log().info("sconify " + fromImageId + " -> " + to + " with " + sconifyImage);
        DockerEngine.ContainerResult result = engine.run(sconifyImage, command, Map.of(),
                Map.of(socket, "/var/run/docker.sock"), ctx.log()::output);
        if (result.exitCode() != 0) {
            List<String> tail = result.lastLines().subList(Math.max(0, result.lastLines().size() - 20), result.lastLines().size());
            throw new TeeflowException(ctx.redactor().redact(ctx.address() + ": sconify (" + sconifyImage
                    + ") failed with exit code " + result.exitCode() + "; its last lines:\n  " + String.join("\n  ", tail)));
        }
        String imageId = engine.imageId(to).orElseThrow(() -> new TeeflowException(ctx.address()
                + ": sconify reported success but image " + to + " does not exist"));

        DockerEngine.ContainerResult hash = engine.run(to, List.of(), Map.of("SCONE_HASH", "1"), Map.of(), line -> { });
        String fingerprint = hash.stdout().stream().map(String::strip).filter(s -> !s.isEmpty())
                .reduce((a, b) -> b).orElse("");
        if (hash.exitCode() != 0 || !FINGERPRINT.matcher(fingerprint).matches()) {
            throw new TeeflowException(ctx.redactor().redact(ctx.address() + ": running " + to
                    + " with SCONE_HASH=1 gave no fingerprint (exit code " + hash.exitCode() + ", output: "
                    + String.join(" | ", hash.lastLines()) + ")"));
        }
        fingerprint = fingerprint.toLowerCase(java.util.Locale.ROOT);
        ctx.log().info("mrenclave fingerprint " + fingerprint);
        SconeMrEnclave mrenclave = new SconeMrEnclave(in.string("scone-version", DEFAULT_VERSION),
                in.string("entrypoint"), heap, fingerprint);
        return new Result(imageId, fingerprint, mrenclave);
    }

    /**
     * A pull whose failure becomes the step's one clear message: docker-java's own callback would also log
     * the failure with its stack trace.
     */
    private static final class QuietPull extends com.github.dockerjava.api.async.ResultCallback.Adapter<
            com.github.dockerjava.api.model.PullResponseItem> {
        private volatile Throwable failure;

        @Override
        public void onError(Throwable throwable) {
            failure = throwable;
            try {
                close();
            } catch (java.io.IOException e) {
                // closing a finished stream: nothing to do
            }
        }

        void rethrow() {
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure != null) {
                throw new IllegalStateException(failure.getMessage(), failure);
            }
        }
    }

    private static void ensureImage(StepContext ctx, DockerEngine engine, String image) throws InterruptedException {
        if (engine.imageId(image).isPresent()) {
            return;
        }
        ctx.log().info("pulling sconify image " + image);
        QuietPull pull = new QuietPull();
        try {
            engine.client().pullImageCmd(image).exec(pull).awaitCompletion();
            pull.rethrow();
        } catch (RuntimeException e) {
            throw cannotPull(ctx, image, e.getMessage());
        }
        if (engine.imageId(image).isEmpty()) {
            throw cannotPull(ctx, image, "the engine reported no image after the pull");
        }
    }

    private static TeeflowException cannotPull(StepContext ctx, String image, String why) {
        return new TeeflowException(ctx.address() + ": the sconify image " + image + " is not on the engine and"
                + " cannot be pulled (" + PlainText.of(String.valueOf(why)).strip() + "); log in to its registry (the"
                + " real SCONE image needs a SCONE licence, see docs/apps.md) or set tee.sconify-image");
    }
}
