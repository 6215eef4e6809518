package dev.teeflow.actions.dataset;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.StepContext;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * SSH access through JGit's Apache MINA sshd client, configured from the pipeline only: the key is held
 * in memory, host keys are checked by {@link HostKeyCheck}, and the user's {@code ~/.ssh} (config,
 * identities, known_hosts, agent) is never consulted, so a run behaves the same on every machine.
 */
public final class SshAccess implements GitAccess {
    private final SshSettings settings;
    private final SshIdentity identity;
    private final SshdSessionFactory sessions;

    private final String block;

    private SshAccess(SshSettings settings, SshIdentity identity, SshdSessionFactory sessions, String block) {
        this.block = block;
        this.settings = settings;
        this.identity = identity;
        this.sessions = sessions;
    }

    static SshAccess open(StepContext ctx, SshSettings s) {
        return open(ctx.address(), s, emptyHome(ctx), "git");
    }

    /**
     * SSH access for {@code owner} (named in errors), with {@code home} an empty folder of teeflow's own;
     * {@code block} is where the settings are written ({@code git} or {@code state}), for hints.
     */
    public static SshAccess open(String owner, SshSettings s, File home, String block) {
        SshIdentity identity = SshIdentity.load(owner, s.key(), s.passphrase());
        SshdSessionFactory sessions = new SshdSessionFactoryBuilder()
                .setHomeDirectory(home)
                .setSshDirectory(new File(home, ".ssh"))
                .setConfigFile(sshDir -> null)
                .setDefaultIdentities(sshDir -> List.of())
                .setDefaultKeysProvider(sshDir -> identity.keys())
                .setDefaultKnownHostsFiles(sshDir -> List.of())
                .setServerKeyDatabase((h, sshDir) -> s.hostKeys())
                .setPreferredAuthentications("publickey")
                .setConnectorFactory(null) // no ssh-agent: only the key the pipeline names
                .build(null);
        return new SshAccess(s, identity, sessions, block);
    }

    // An empty home of our own: sshd's defaults would otherwise look for ~/.ssh/config, id_* and known_hosts.
    private static File emptyHome(StepContext ctx) {
        try {
            Path home = Files.createDirectories(ctx.workDir().resolve("ssh-home"));
            return home.toFile();
        } catch (IOException e) {
            throw new TeeflowException(ctx.address() + ": cannot create " + ctx.workDir().resolve("ssh-home") + ": " + e.getMessage());
        }
    }

    @Override
    public <C extends TransportCommand<C, ?>> C apply(C command) {
        return command.setTransportConfigCallback(t -> {
            if (t instanceof SshTransport ssh) {
                ssh.setSshSessionFactory(sessions);
            }
        });
    }

    @Override
    public String describe() {
        return "the " + identity.describe() + " from " + settings.key().source();
    }

    @Override
    public String credentialsHint() {
        return "check that this key's public half is authorized on the server (on GitHub or GitLab: a deploy key"
                + " with write access) and the user name in " + block + ".remote";
    }

    @Override
    public String who() {
        return "SSH key " + identity.fingerprint();
    }

    @Override
    public Optional<String> refusal() {
        return settings.hostKeys().refusal();
    }

    @Override
    public void close() {
        sessions.close();
    }
}
