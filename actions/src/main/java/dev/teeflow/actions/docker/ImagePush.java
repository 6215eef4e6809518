package dev.teeflow.actions.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PushResponseItem;
import dev.teeflow.engine.TeeflowException;
import java.util.Locale;
import java.util.function.Consumer;

/** {@code docker push} of one tag through the engine API, with errors a person can act on. */
public final class ImagePush {
    private ImagePush() {
    }

    /** Pushes {@code ref}; {@code username} null = anonymous. Progress lines go to {@code onLine}. */
    public static void push(DockerEngine engine, ImageReference ref, String username, String password,
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
            throw explain(ref, username, e.getMessage());
        }
        if (collector.error != null) {
            throw explain(ref, username, collector.error);
        }
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
