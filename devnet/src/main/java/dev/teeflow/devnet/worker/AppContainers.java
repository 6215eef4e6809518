package dev.teeflow.devnet.worker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs app images through the Docker engine (docker-java): pull when absent, one container per task with
 * /iexec_in (read-only) and /iexec_out bind-mounted, a time limit, its stdout and stderr, and removal afterwards.
 * Containers carry a label naming this workerpool so that {@link #close} (and the next start) removes leftovers.
 */
final class AppContainers implements AutoCloseable {
    static final String LABEL = "dev.teeflow.devnet.workerpool";
    static final int LOG_TAIL_LINES = 50;
    /** The most of each output stream kept per task (iexec-common's ComputeLogs.MAX_LOG_LENGTH). */
    static final int MAX_LOG_CHARS = 100_000;

    private final DockerClient docker;
    private final String host;
    private final String poolLabel;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    AppContainers(String dockerHost, String poolLabel) {
        this.host = dockerHost;
        this.poolLabel = poolLabel;
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost).build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofMinutes(10))
                .build();
        this.docker = DockerClientImpl.getInstance(config, http);
    }

    /** Checks that the engine answers; the message says what to start. */
    void ping() {
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new IllegalStateException("the devnet workerpool cannot reach Docker at " + host + ": "
                    + e.getMessage() + " (start dockerd, e.g. scripts/docker-up.sh, or set the Docker host)", e);
        }
    }

    /** Pulls the image from the registry named in its reference when it is not present locally. */
    void ensureImage(String image, java.util.function.Consumer<String> log) {
        try {
            docker.inspectImageCmd(image).exec();
            return;
        } catch (NotFoundException absent) {
            // pull below
        }
        log.accept("pulling app image " + image);
        String repository = image;
        String tag = "latest";
        int at = image.indexOf('@');
        if (at >= 0) {
            repository = image.substring(0, at);
            tag = image.substring(at + 1);
        } else {
            int colon = image.lastIndexOf(':');
            if (colon > image.lastIndexOf('/')) {
                repository = image.substring(0, colon);
                tag = image.substring(colon + 1);
            }
        }
        try {
            docker.pullImageCmd(repository).withTag(tag).exec(new PullImageResultCallback())
                    .awaitCompletion(10, TimeUnit.MINUTES);
            docker.inspectImageCmd(image).exec();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFailure("interrupted while pulling app image " + image);
        } catch (RuntimeException e) {
            throw new TaskFailure("cannot pull app image " + image + ": " + e.getMessage());
        }
    }

    /**
     * The outcome of one app container, unmasked: {@code logs} is stdout and stderr interleaved,
     * {@code stdout} and {@code stderr} each stream alone.
     */
    record Run(int exitCode, boolean timedOut, String logs, String stdout, String stderr) {
    }

    Run run(String taskId, String image, List<String> command, Map<String, String> env, Path in, Path out,
            Duration timeLimit) {
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        String name = "teeflow-task-" + taskId.substring(2, 14) + "-" + Long.toHexString(System.nanoTime());
        CreateContainerCmd create = docker.createContainerCmd(image)
                .withName(name)
                .withEnv(envList)
                .withLabels(Map.of(LABEL, poolLabel, LABEL + ".task", taskId))
                .withHostConfig(HostConfig.newHostConfig().withBinds(
                        new Bind(in.toAbsolutePath().toString(), new Volume("/iexec_in"), AccessMode.ro),
                        new Bind(out.toAbsolutePath().toString(), new Volume("/iexec_out"), AccessMode.rw)));
        if (!command.isEmpty()) {
            create.withCmd(command);
        }
        String id;
        try {
            id = create.exec().getId();
        } catch (RuntimeException e) {
            throw new TaskFailure("cannot create the app container from " + image + ": " + e.getMessage());
        }
        running.add(id);
        try {
            docker.startContainerCmd(id).exec();
            boolean timedOut = false;
            int exit;
            try {
                exit = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())
                        .awaitStatusCode(timeLimit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (DockerClientException e) {
                // awaitStatusCode gives up at the time limit: the category's maximum run time
                timedOut = true;
                kill(id);
                exit = -1;
            }
            Output output = logs(id);
            return new Run(exit, timedOut, output.both(), output.stdout(), output.stderr());
        } catch (RuntimeException e) {
            if (e instanceof TaskFailure) {
                throw e;
            }
            throw new TaskFailure("cannot run the app container " + name + ": " + e.getMessage());
        } finally {
            remove(id);
        }
    }

    /**
     * The container's output: stdout, stderr and both interleaved, each cut to its last
     * {@value #MAX_LOG_CHARS} characters (iExec's worker keeps as much per stream).
     */
    private Output logs(String id) {
        TailText both = new TailText();
        TailText stdout = new TailText();
        TailText stderr = new TailText();
        try {
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
                            both.append(text);
                            (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).append(text);
                        }
                    }).awaitCompletion(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            both.append("(cannot read the app logs: " + e.getMessage() + ")");
        }
        return new Output(both.toString(), stdout.toString(), stderr.toString());
    }

    private record Output(String both, String stdout, String stderr) {
    }

    /** Text that keeps only its last {@value #MAX_LOG_CHARS} characters. */
    private static final class TailText {
        private final StringBuilder text = new StringBuilder();

        synchronized void append(String more) {
            text.append(more);
            if (text.length() > 2 * MAX_LOG_CHARS) {
                text.delete(0, text.length() - MAX_LOG_CHARS);
            }
        }

        @Override
        public synchronized String toString() {
            return text.length() > MAX_LOG_CHARS ? text.substring(text.length() - MAX_LOG_CHARS) : text.toString();
        }
    }

    private void kill(String id) {
        try {
            docker.killContainerCmd(id).exec();
        } catch (RuntimeException ignored) {
            // already stopped
        }
    }

    private void remove(String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).exec();
        } catch (NotFoundException ignored) {
            // gone
        } catch (RuntimeException ignored) {
            // best effort: close() retries by label
        }
        running.remove(id);
    }

    /** Removes every container of this workerpool (running or stopped). */
    void removeAll() {
        try {
            List<Container> mine = docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(LABEL, poolLabel)).exec();
            for (Container c : mine) {
                remove(c.getId());
            }
        } catch (RuntimeException ignored) {
            // engine gone: nothing we can do
        }
        for (String id : List.copyOf(running)) {
            remove(id);
        }
    }

    @Override
    public void close() {
        removeAll();
        try {
            docker.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
