package dev.teeflow.actions.dataset;

import dev.teeflow.engine.secret.Secret;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/** HTTPS (or anonymous) access: a user name and a password or token, or nothing. */
record HttpsAccess(String username, Secret password) implements GitAccess {

    @Override
    public <C extends TransportCommand<C, ?>> C apply(C command) {
        return password == null ? command
                : command.setCredentialsProvider(new UsernamePasswordCredentialsProvider(username, password.text()));
    }

    @Override
    public String describe() {
        if (password == null) {
            return "no credentials given (set git.token or git.username + git.password)";
        }
        return "user '" + username + "' with the secret from " + password.source();
    }

    @Override
    public String credentialsHint() {
        return "check git.username and git.token or git.password";
    }

    @Override
    public String who() {
        return password == null ? "anonymous access" : "user '" + username + "'";
    }
}
