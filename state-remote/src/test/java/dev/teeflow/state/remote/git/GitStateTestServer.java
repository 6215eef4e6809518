package dev.teeflow.state.remote.git;

import dev.teeflow.actions.dataset.GitRemote;
import dev.teeflow.devnet.git.GitHostServer;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import java.nio.file.Path;
import org.eclipse.jgit.lib.PersonIdent;

/** The devnet's git host (JGit's smart HTTP server) on a free loopback port, with pushes behind basic auth. */
final class GitStateTestServer implements AutoCloseable {
    static final String USER = "ci";
    static final String TOKEN = "git-test-token-7f3a";

    final GitHostServer server;

    GitStateTestServer(Path dir) {
        server = GitHostServer.start(dir, 0, USER, TOKEN);
    }

    String remote(String repo) {
        return server.repositoryUrl("team", repo).toString();
    }

    GitStateSettings settings(String repo, String path) {
        return new GitStateSettings(GitRemote.parse(remote(repo)), null, path, USER,
                Secret.ofText(SecretRef.env("GITHUB_TOKEN"), TOKEN), null, new PersonIdent("teeflow", "teeflow@localhost"));
    }

    /** The bare repository the server keeps for {@code repo}. */
    Path repository(String repo) {
        return server.root().resolve("team").resolve(repo + ".git");
    }

    @Override
    public void close() {
        server.close();
    }
}
