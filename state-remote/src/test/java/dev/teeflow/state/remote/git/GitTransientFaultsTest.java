package dev.teeflow.state.remote.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.actions.dataset.GitRemote;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.testing.FaultyProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The git backend through a proxy that fails the way networks do, in front of the devnet's git host: fetches
 * whose connections drop are retried, a push that landed although its answer was lost is recognised (one
 * commit, not two), and a remote that stays unreachable is one error naming it and the attempts.
 */
class GitTransientFaultsTest {
    @TempDir
    static Path dir;
    static GitStateTestServer server;
    static FaultyProxy proxy;
    private static int caches;

    @BeforeAll
    static void start() throws Exception {
        server = new GitStateTestServer(dir.resolve("server"));
        proxy = FaultyProxy.to("127.0.0.1", server.server.port());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        server.close();
    }

    private static GitStateBackend throughProxy(String repo) {
        String remote = "http://127.0.0.1:" + proxy.port() + "/team/" + repo + ".git";
        GitStateSettings settings = new GitStateSettings(GitRemote.parse(remote), null, "", GitStateTestServer.USER,
                Secret.ofText(SecretRef.env("GITHUB_TOKEN"), GitStateTestServer.TOKEN), null,
                new PersonIdent("teeflow", "teeflow@localhost"));
        return new GitStateBackend(settings, dir.resolve("cache" + (++caches)));
    }

    @Test
    void aPushWhoseAnswerWasLostIsRecognisedNotPushedTwice() throws Exception {
        try (GitStateBackend git = throughProxy("lost-answer")) {
            git.put("state/a.json", bytes("first"), StateBackend.ABSENT);
            proxy.loseTheAnswerTo("POST /team/lost-answer.git/git-receive-pack");
            git.put("state/b.json", bytes("second"), StateBackend.ABSENT);
            assertThat(proxy.answersLost()).as("the push's answer was lost").isEqualTo(1);
            assertThat(git.get("state/b.json")).hasValueSatisfying(b -> assertThat(b.bytes()).isEqualTo(bytes("second")));
        }
        assertThat(log("lost-answer")).as("one commit per write").hasSize(2);
    }

    @Test
    void droppedConnectionsOnAFetchAreRetried() {
        try (GitStateBackend writer = throughProxy("dropped")) {
            writer.put("state/a.json", bytes("v"), StateBackend.ABSENT);
        }
        try (GitStateBackend reader = throughProxy("dropped")) {
            proxy.refuseNext(2);
            proxy.cutAll(); // no kept-alive connection either
            assertThat(reader.get("state/a.json")).hasValueSatisfying(b -> assertThat(b.bytes()).isEqualTo(bytes("v")));
        }
    }

    @Test
    void anUnreachableRemoteIsOneErrorAfterTheLastAttempt() {
        try (GitStateBackend reader = throughProxy("unreachable")) {
            proxy.refuseNext(1000);
            proxy.cutAll();
            try {
                assertThatThrownBy(() -> reader.get("state/a.json")).isInstanceOf(TeeflowException.class)
                        .hasMessageContaining("http://127.0.0.1:" + proxy.port() + "/team/unreachable.git")
                        .hasMessageContaining("(after 4 attempts)");
            } finally {
                proxy.refuseNext(0);
            }
        }
    }

    private static List<RevCommit> log(String repo) throws Exception {
        try (Repository r = new FileRepositoryBuilder().setGitDir(server.repository(repo).toFile()).setBare().build();
             Git git = new Git(r)) {
            List<RevCommit> out = new ArrayList<>();
            git.log().add(r.resolve("refs/heads/teeflow-state")).call().forEach(out::add);
            return out;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
