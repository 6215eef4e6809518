package dev.teeflow.actions.dataset;

import dev.teeflow.engine.secret.Secret;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * HTTPS (or anonymous) access: a user name and a password or token, or nothing. {@code block} is where
 * they are written ({@code git} in a publish step, {@code state} in the state block), for hints.
 */
public record HttpsAccess(String username, Secret password, String block) implements GitAccess {

    public HttpsAccess(String username, Secret password) {
        this(username, password, "git");
    }

    @Override
    public <C extends TransportCommand<C, ?>> C apply(C command) {
        return password == null ? command
                : command.setCredentialsProvider(new UsernamePasswordCredentialsProvider(username, password.text()));
    }

    @Override
    public String describe() {
        if (password == null) {
            return "no credentials given (set " + block + ".token or " + block + ".username + " + block + ".password)";
        }
        return "user '" + username + "' with the secret from " + password.source();
    }

    @Override
    public String credentialsHint() {
        return "check " + block + ".username and " + block + ".token or " + block + ".password";
    }

    @Override
    public String who() {
        return password == null ? "anonymous access" : "user '" + username + "'";
    }
}
