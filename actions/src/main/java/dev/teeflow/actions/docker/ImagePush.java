package dev.teeflow.actions.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PushResponseItem;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.protocol.net.RetriesExhaustedException;
import dev.teeflow.protocol.net.RetryPolicy;
import java.util.Locale;
import java.util.function.Consumer;

/** {@code docker push} of one tag through the engine API, with errors a person can act on. */
public final class ImagePush {
    private ImagePush() {
    }

    /** Pushes {@code ref}; {@code username} null = anonymous. Progress lines go to {@code onLine}. */
    public static void push(DockerEngine engine, ImageReference ref, String username, String password,
                            Consumer<String> onLine) throws InterruptedException {
        push(engine, ref, username, password, onLine, RetryPolicy.none(), onLine);
    }

    /**
     * Pushes {@code ref}, again under {@code retry} when the registry was unreachable or answered 5xx/429:
     * a push is idempotent (layers and manifest are content-addressed), so repeating it is safe.
     */
    public static void push(DockerEngine engine, ImageReference ref, String username, String password,
                            Consumer<String> onLine, RetryPolicy retry, Consumer<String> retryLog)
            throws InterruptedException {
        try {
            retry.run("registry " + ref.registry(), RetryPolicy.Safety.IDEMPOTENT, retryLog, () -> {
                String error = pushOnce(engine, ref, username, password, onLine);
                if (error != null) {
                    if (isTransient(error)) {
                        throw new TransientPush(error);
                    }
                    throw explain(ref, username, error);
                }
                return null;
            });
        } catch (RetriesExhaustedException e) {
            throw new TeeflowException(explain(ref, username, e.getCause().getMessage()).getMessage()
                    + " (" + RetryPolicy.attempts(e.attempts()) + ")", e);
        } catch (java.io.IOException e) {
            throw explain(ref, username, e.getMessage());
        }
    }

    /** A push error that says the registry was away or overloaded, which a retry can cure. */
    private static final class TransientPush extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        TransientPush(String message) {
            super(message);
        }
    }

    static boolean isTransient(String error) {
        String e = error.toLowerCase(Locale.ROOT);
        return e.contains("connection refused") || e.contains("connection reset") || e.contains("i/o timeout")
                || e.contains("eof") || e.contains("503") || e.contains("502") || e.contains("500 internal")
                || e.contains("504") || e.contains("429") || e.contains("too many requests")
                || e.contains("service unavailable") || e.contains("bad gateway");
    }

    /** One push; the registry's error, or null when it worked. */
    private static String pushOnce(DockerEngine engine, ImageReference ref, String username, String password,
                                   Consumer<String> onLine) throws InterruptedException {
        var cmd = engine.client().pushImageCmd(ref.repository()).withTag(ref.tag());
        if (username != null) {
            cmd.withAuthConfig(new AuthConfig().withUsername(username).withPassword(password)
                    .withRegistryAddress(ref.registry()));
        }
        Collector collector = new Collector(onLine);
        try {
            cmd.exec(collector).awaitCompletion();
        } catch (TeeflowException e) {
            throw e;
        } catch (RuntimeException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return collector.error;
    }

    static TeeflowException explain(ImageReference ref, String username, String error) {
        String e = error == null ? "push failed" : error.strip();
        String lower = e.toLowerCase(Locale.ROOT);
        String who = username == null ? "anonymous access" : "the credentials of user '" + username + "'";
        if (lower.contains("unauthorized") || lower.contains("authentication required")
                || lower.contains("incorrect username or password") || lower.contains("no basic auth credentials")) {
            return new TeeflowException("registry " + ref.registry() + " refused " + who + " to push "
                    + ref.reference() + ": check push.username and the push.password secret (" + e + ")");
        }
        if (lower.contains("denied")) {
            return new TeeflowException("push of " + ref.reference() + " denied: " + who
                    + " may not write to repository " + ref.repository() + " (" + e + ")");
        }
        if (lower.contains("connection refused") || lower.contains("no such host") || lower.contains("dial tcp")
                || lower.contains("i/o timeout")) {
            return new TeeflowException("registry " + ref.registry() + " does not answer for the push of "
                    + ref.reference() + " (" + e + "); for a local one run scripts/docker-up.sh");
        }
        return new TeeflowException("push of " + ref.reference() + " failed: " + e);
    }

    private static final class Collector extends ResultCallback.Adapter<PushResponseItem> {
        private final Consumer<String> onLine;
        private volatile String error;

        Collector(Consumer<String> onLine) {
            this.onLine = onLine;
        }

        @Override
        public void onNext(PushResponseItem item) {
            if (item.isErrorIndicated()) {
                error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                        ? item.getErrorDetail().getMessage() : item.getError();
                return;
            }
            if (item.getStatus() != null && item.getProgressDetail() == null) {
                onLine.accept((item.getId() == null ? "" : item.getId() + ": ") + item.getStatus());
            }
        }
    }
}
