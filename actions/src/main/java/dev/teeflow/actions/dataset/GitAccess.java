package dev.teeflow.actions.dataset;

import dev.teeflow.engine.spi.StepContext;
import java.util.Optional;
import org.eclipse.jgit.api.TransportCommand;

/**
 * How one publish (or a git state backend) authenticates to its git remote (HTTPS credentials, or an SSH key
 * with host key checking), applied to each git command it runs. Opened per use and closed afterwards.
 */
public interface GitAccess extends AutoCloseable {

    static GitAccess open(StepContext ctx, GitSettings g) {
        g.secrets().forEach(ctx.redactor()::register);
        return g.ssh() != null ? SshAccess.open(ctx, g.ssh()) : new HttpsAccess(g.username(), g.password());
    }

    /** Sets the credentials (and for SSH the session factory) on one git command. */
    <C extends TransportCommand<C, ?>> C apply(C command);

    /** How the credentials are given, for messages: never their values. */
    String describe();

    /** What to check when the remote refuses the credentials. */
    String credentialsHint();

    /** Who the remote sees, for "does not exist (or is not visible to ...)". */
    String who();

    /** Why the connection was refused on teeflow's side (an untrusted host key), if it was. */
    default Optional<String> refusal() {
        return Optional.empty();
    }

    @Override
    default void close() {
    }
}
