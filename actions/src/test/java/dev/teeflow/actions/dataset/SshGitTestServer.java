package dev.teeflow.actions.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A real SSH git server on 127.0.0.1 for tests: Apache MINA sshd (the port chosen by the kernel when it
 * binds) serving bare repositories under a folder with JGit's upload-pack and receive-pack, accepting only
 * public-key authentication of one user with one key.
 */
final class SshGitTestServer implements AutoCloseable {
    private final SshServer sshd;
    private final Path root;
    private final KeyPair hostKey;

    SshGitTestServer(Path root, KeyPair hostKey, String user, PublicKey authorized) throws IOException {
        this.root = root;
        this.hostKey = hostKey;
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sshd.setPublickeyAuthenticator((name, key, session) -> user.equals(name) && KeyUtils.compareKeys(key, authorized));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setCommandFactory((channel, command) -> new GitCommand(command));
        sshd.start();
    }

    int port() {
        return sshd.getPort();
    }

    String remote(String repo) {
        return "ssh://git@127.0.0.1:" + port() + "/" + repo + ".git";
    }

    /** The known_hosts line for this server: {@code [127.0.0.1]:port ssh-ed25519 AAAA...}. */
    String knownHostsLine() {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic());
    }

    String fingerprint() {
        return KeyUtils.getFingerPrint(org.apache.sshd.common.digest.BuiltinDigests.sha256, hostKey.getPublic());
    }

    Repository createRepo(String name) throws IOException {
        Repository repo = new FileRepositoryBuilder().setGitDir(root.resolve(name + ".git").toFile()).setBare().build();
        if (!repo.getObjectDatabase().exists()) {
            repo.create(true);
        }
        return repo;
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }

    /** {@code git-upload-pack '/owner/repo.git'} or {@code git-receive-pack 'owner/repo.git'}, run with JGit. */
    private final class GitCommand implements Command {
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        GitCommand(String command) {
            this.command = command;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            Thread t = new Thread(this::serve, "ssh-git " + command);
            t.setDaemon(true);
            t.start();
        }

        private void serve() {
            List<String> parts = List.of(command.split(" ", 2));
            String path = parts.size() < 2 ? "" : parts.get(1).replace("'", "").replace("\"", "").replaceAll("^/+", "");
            Path dir = root.resolve(path).normalize();
            if (!dir.startsWith(root) || !dir.toFile().isDirectory()) {
                fail("fatal: '" + path + "' does not appear to be a git repository\n");
                return;
            }
            try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build()) {
                switch (parts.get(0)) {
                    case "git-upload-pack" -> new UploadPack(repo).upload(in, out, err);
                    case "git-receive-pack" -> new ReceivePack(repo).receive(in, out, err);
                    default -> {
                        fail("unknown command " + parts.get(0) + "\n");
                        return;
                    }
                }
                out.flush();
                exit.onExit(0);
            } catch (Exception e) {
                fail("fatal: " + e.getMessage() + "\n");
            }
        }

        private void fail(String message) {
            try {
                err.write(message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                err.flush();
            } catch (IOException ignored) {
                // the client went away
            }
            exit.onExit(128, message.strip());
        }

        @Override
        public void destroy(ChannelSession channel) {
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }
    }
}
