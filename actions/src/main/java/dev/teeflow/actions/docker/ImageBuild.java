package dev.teeflow.actions.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.model.BuildResponseItem;
import dev.teeflow.engine.TeeflowException;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.atomic.AtomicReference;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** One {@code docker build} through the engine API, with the context sent as we filtered it. */
public final class ImageBuild {
    private final BuildContext context;
    private final Path dockerfile;
    private final Map<String, String> buildArgs = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private String target;
    private String platform;
    private String tag;

    public ImageBuild(BuildContext context, Path dockerfile) {
        this.context = context;
        this.dockerfile = dockerfile;
    }

    public ImageBuild args(Map<String, String> args) {
        buildArgs.putAll(args);
        return this;
    }

    public ImageBuild labels(Map<String, String> values) {
        labels.putAll(values);
        return this;
    }

    public ImageBuild target(String value) {
        target = value;
        return this;
    }

    public ImageBuild platform(String value) {
        platform = value;
        return this;
    }

    public ImageBuild tag(String value) {
        tag = value;
        return this;
    }

    /** Builds and returns the image id ({@code sha256:...}); every output line goes to {@code onLine}. */
    public String run(DockerEngine engine, String address, Consumer<String> onLine)
            throws IOException, InterruptedException {
        String dockerfileName = dockerfileNameInContext();
        // The tar is streamed, never written to disk: the work folder may itself be inside the context.
        PipedInputStream in = new PipedInputStream(1 << 16);
        PipedOutputStream pipe = new PipedOutputStream(in);
        AtomicReference<IOException> tarError = new AtomicReference<>();
        Thread writer = Thread.ofVirtual().name("docker-context-tar").start(() -> {
            try (OutputStream out = pipe) {
                context.writeTar(out, dockerfile, dockerfileName);
            } catch (IOException e) {
                tarError.set(e);
            }
        });
        try (in) {
            BuildImageCmd cmd = engine.client().buildImageCmd(in)
                    .withDockerfilePath(dockerfileName)
                    .withPull(false)
                    .withRemove(true);
            buildArgs.forEach(cmd::withBuildArg);
            if (!labels.isEmpty()) {
                cmd.withLabels(labels);
            }
            if (target != null) {
                cmd.withTarget(target);
            }
            if (platform != null) {
                cmd.withPlatform(platform);
            }
            if (tag != null) {
                cmd.withTags(Set.of(tag));
            }
            Collector collector = new Collector(onLine);
            try {
                cmd.exec(collector).awaitCompletion();
            } catch (TeeflowException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new TeeflowException(BuildFailure.explain(address, e.getMessage(), collector.last), e);
            }
            writer.join();
            if (tarError.get() != null) {
                throw new TeeflowException(address + ": cannot read the build context " + context.root() + ": "
                        + tarError.get().getMessage(), tarError.get());
            }
            if (collector.error != null) {
                throw new TeeflowException(BuildFailure.explain(address, collector.error, collector.last));
            }
            String id = collector.imageId;
            if (tag != null) {
                id = engine.imageId(tag).orElse(id);
            } else if (id != null) {
                id = engine.imageId(id).orElse(id);
            }
            if (id == null) {
                throw new TeeflowException(address + ": docker build ended without an image id");
            }
            return id;
        } finally {
            writer.interrupt();
        }
    }

    private String dockerfileNameInContext() {
        Path abs = dockerfile.toAbsolutePath().normalize();
        if (abs.startsWith(context.root())) {
            return context.root().relativize(abs).toString().replace('\\', '/');
        }
        return ".teeflow.Dockerfile";
    }

    private static final class Collector extends ResultCallback.Adapter<BuildResponseItem> {
        private final Consumer<String> onLine;
        private final List<String> last = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile String imageId;
        private volatile String error;

        Collector(Consumer<String> onLine) {
            this.onLine = onLine;
        }

        @Override
        public synchronized void onNext(BuildResponseItem item) {
            if (item.getStream() != null) {
                partial.append(item.getStream());
                int nl;
                while ((nl = partial.indexOf("\n")) >= 0) {
                    line(partial.substring(0, nl));
                    partial.delete(0, nl + 1);
                }
            }
            if (item.getStatus() != null) {
                line(item.getStatus() + (item.getProgress() == null ? "" : " " + item.getProgress()));
            }
            if (item.isErrorIndicated()) {
                error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                        ? item.getErrorDetail().getMessage() : item.getError();
            }
            String built = item.getImageId();
            if (built != null) {
                imageId = built;
            }
        }

        private void line(String l) {
            String text = PlainText.of(l).stripTrailing();
            if (text.isEmpty()) {
                return;
            }
            last.add(text);
            if (last.size() > 15) {
                last.remove(0);
            }
            onLine.accept(text);
        }
    }
}
