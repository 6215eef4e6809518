package dev.teeflow.actions.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.StepContext;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One connection to the Docker engine named by {@code DOCKER_HOST} (default the local socket),
 * shared by every step of a run. Made lazily: steps that are up to date never connect.
 */
public final class DockerEngine implements AutoCloseable {
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    private static final String SHARED_KEY = "docker.engine";

    private final String host;
    private final DockerClient client;

    private DockerEngine(String host, DockerClient client) {
        this.host = host;
        this.client = client;
    }

    /** The run's shared engine, connected and answering, or a {@link DockerUnavailableException}. */
    public static DockerEngine of(StepContext context) {
        String host = hostFrom(context.environment());
        return context.shared(SHARED_KEY, DockerEngine.class, () -> connect(host));
    }

    /** Connects to {@code DOCKER_HOST} (or the default socket) and checks that the engine answers. */
    public static DockerEngine connect() {
        return connect(hostFromEnvironment());
    }

    public static String hostFromEnvironment() {
        return hostFrom(System.getenv());
    }

    /** {@code DOCKER_HOST} of {@code env}, or the default socket. */
    public static String hostFrom(java.util.Map<String, String> env) {
        String host = env.get("DOCKER_HOST");
        return host == null || host.isBlank() ? DEFAULT_HOST : host.trim();
    }

    public static DockerEngine connect(String host) {
        DockerClient client;
        try {
            DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(host)
                    .build();
            ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost())
                    .sslConfig(config.getSSLConfig())
                    .connectionTimeout(Duration.ofSeconds(5))
                    .build();
            client = DockerClientImpl.getInstance(config, http);
        } catch (RuntimeException e) {
            throw new DockerUnavailableException(host, e);
        }
        try {
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            closeQuietly(client);
            throw new DockerUnavailableException(host, e);
        }
        return new DockerEngine(host, client);
    }

    public String host() {
        return host;
    }

    public DockerClient client() {
        return client;
    }

    /** The local path of the engine's socket, for mounting it into a container (sconify). */
    public Optional<String> socketPath() {
        if (host.startsWith("unix://")) {
            return Optional.of(URI.create(host).getPath());
        }
        return Optional.empty();
    }

    /** The full id ({@code sha256:...}) of a local image, if the engine has it. */
    public Optional<String> imageId(String imageRef) {
        try {
            return Optional.ofNullable(client.inspectImageCmd(imageRef).exec().getId());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Tags {@code image} (id or reference) as {@code repository:tag}. */
    public void tag(String image, String repository, String tag) {
        client.tagImageCmd(image, repository, tag).withForce(true).exec();
    }

    /** What a finished container printed and how it ended. */
    public record ContainerResult(int exitCode, List<String> stdout, List<String> lastLines) {
    }

    /**
     * Runs {@code image} to completion with {@code command}, {@code env} and {@code binds}
     * (host path -> container path), handing every output line to {@code onLine} as it comes, then
     * removes the container.
     */
    public ContainerResult run(String image, List<String> command, Map<String, String> env,
                               Map<String, String> binds, Consumer<String> onLine) throws InterruptedException {
        List<Bind> bindList = new ArrayList<>();
        binds.forEach((hostPath, containerPath) -> bindList.add(new Bind(hostPath, new Volume(containerPath))));
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        var create = client.createContainerCmd(image)
                .withEnv(envList)
                .withHostConfig(HostConfig.newHostConfig().withBinds(bindList));
        if (!command.isEmpty()) {
            create.withCmd(command);
        }
        CreateContainerResponse created = create.exec();
        String id = created.getId();
        LineCollector collector = new LineCollector(onLine);
        try {
            client.startContainerCmd(id).exec();
            client.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
                    .exec(collector).awaitCompletion();
            int exit = client.waitContainerCmd(id).start().awaitStatusCode();
            collector.flush();
            return new ContainerResult(exit, collector.stdout(), collector.last());
        } finally {
            try {
                client.removeContainerCmd(id).withForce(true).exec();
            } catch (RuntimeException e) {
                // already gone
            }
        }
    }

    /** Splits the frames of a container's log into lines, keeping stdout and the last lines. */
    private static final class LineCollector extends ResultCallback.Adapter<Frame> {
        private static final int KEEP = 40;
        private final Consumer<String> onLine;
        private final StringBuilder outPartial = new StringBuilder();
        private final StringBuilder errPartial = new StringBuilder();
        private final List<String> stdout = new ArrayList<>();
        private final List<String> last = new ArrayList<>();

        LineCollector(Consumer<String> onLine) {
            this.onLine = onLine;
        }

        @Override
        public synchronized void onNext(Frame frame) {
            boolean err = frame.getStreamType() == StreamType.STDERR;
            StringBuilder sb = err ? errPartial : outPartial;
            sb.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            int nl;
            while ((nl = sb.indexOf("\n")) >= 0) {
                emit(sb.substring(0, nl), !err);
                sb.delete(0, nl + 1);
            }
        }

        synchronized void flush() {
            if (!outPartial.isEmpty()) {
                emit(outPartial.toString(), true);
                outPartial.setLength(0);
            }
            if (!errPartial.isEmpty()) {
                emit(errPartial.toString(), false);
                errPartial.setLength(0);
            }
        }

        private void emit(String line, boolean isStdout) {
            String l = PlainText.of(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            if (isStdout) {
                stdout.add(l);
            }
            last.add(l);
            if (last.size() > KEEP) {
                last.remove(0);
            }
            onLine.accept(l);
        }

        synchronized List<String> stdout() {
            return List.copyOf(stdout);
        }

        synchronized List<String> last() {
            return List.copyOf(last);
        }
    }

    /** Throws a clear error when the engine's answer says a step cannot go on. */
    public static TeeflowException failure(String what, Throwable cause) {
        return new TeeflowException(what + ": " + (cause.getMessage() == null ? cause.toString() : cause.getMessage().strip()), cause);
    }

    @Override
    public void close() throws IOException {
        client.close();
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            // nothing to do
        }
    }
}
