package dev.teeflow.state.remote.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.actions.dataset.GitRemote;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.state.ConflictException;
import dev.teeflow.engine.state.LockInfo;
import dev.teeflow.engine.state.StateBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git backend against a real git server over HTTP on loopback: commits, compare-and-swap by push, errors. */
class GitStateBackendTest {
    @TempDir
    static Path dir;
    static GitStateTestServer server;
    private static int caches;

    @BeforeAll
    static void start() {
        server = new GitStateTestServer(dir.resolve("server"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static GitStateBackend client(String repo) {
        return new GitStateBackend(server.settings(repo, ""), dir.resolve("cache" + (++caches)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<RevCommit> log(String repo, String branch) throws Exception {
        try (Repository r = new FileRepositoryBuilder().setGitDir(server.repository(repo).toFile()).setBare().build();
             Git git = new Git(r)) {
            List<RevCommit> out = new ArrayList<>();
            git.log().add(r.resolve("refs/heads/" + branch)).call().forEach(out::add);
            return out;
        }
    }

    @Test
    void every_write_is_one_commit_on_the_state_branch_and_history_is_the_log_of_the_file() throws Exception {
        try (GitStateBackend s = client("history")) {
            s.put("state/a.json", bytes("v1"), StateBackend.ANY);
            s.put("state/b.json", bytes("other"), StateBackend.ANY);
            s.put("state/a.json", bytes("v2"), StateBackend.ANY);
            s.delete("state/a.json");

            List<RevCommit> commits = log("history", "teeflow-state");
            assertThat(commits).hasSize(4);
            assertThat(commits.get(0).getFullMessage()).isEqualTo("teeflow state: delete state/a.json\n");

            List<StateBackend.Revision> history = s.history("state/a.json");
            assertThat(history).hasSize(3);
            assertThat(history.get(0).deleted()).isTrue();
            assertThat(history.subList(1, 3)).extracting(r -> new String(r.bytes(), StandardCharsets.UTF_8))
                    .containsExactly("v2", "v1");
            assertThat(history.get(1).version()).isEqualTo(commits.get(1).name());
        }
    }

    @Test
    void a_writer_whose_copy_is_behind_retries_on_top_of_other_keys_but_not_over_the_same_key() {
        try (GitStateBackend a = client("race"); GitStateBackend b = client("race")) {
            String v1 = a.put("state/x.json", bytes("1"), StateBackend.ABSENT);
            assertThat(b.get("state/x.json")).isPresent(); // b's copy now knows v1
            a.put("state/y.json", bytes("from a"), StateBackend.ANY); // the branch moves on behind b's back

            b.put("state/z.json", bytes("from b"), StateBackend.ANY); // push refused, fetched again, pushed on top
            try (GitStateBackend c = client("race")) {
                assertThat(c.list("state/")).containsExactly("state/x.json", "state/y.json", "state/z.json");
            }

            a.put("state/x.json", bytes("2"), v1);
            assertThatThrownBy(() -> b.put("state/x.json", bytes("3"), v1)).isInstanceOf(ConflictException.class)
                    .hasMessageContaining("changed since it was read");
            assertThat(new String(a.get("state/x.json").orElseThrow().bytes(), StandardCharsets.UTF_8)).isEqualTo("2");
        }
    }

    @Test
    void the_lock_is_a_file_on_the_branch_naming_its_holder_and_is_removed_on_release() throws Exception {
        LockInfo me = LockInfo.ofThisProcess("apply", Map.of("GITHUB_SERVER_URL", "https://github.com",
                "GITHUB_REPOSITORY", "me/app", "GITHUB_RUN_ID", "99"));
        try (GitStateBackend a = client("lock")) {
            assertThat(a.tryLock(me, Duration.ofMinutes(1)).taken()).isTrue();
            try (GitStateBackend b = client("lock")) {
                assertThat(b.lockHolder()).get().extracting(LockInfo::ciRun).isEqualTo("https://github.com/me/app/actions/runs/99");
                assertThat(b.list("")).isEmpty(); // the lock file is not a state key
            }
            a.releaseLock(me);
            assertThat(a.lockHolder()).isEmpty();
        }
        assertThat(log("lock", "teeflow-state")).extracting(RevCommit::getShortMessage)
                .allMatch(m -> m.startsWith("teeflow state: lock: "));
    }

    @Test
    void reads_come_from_one_fetch_and_taking_the_lock_reads_again_what_others_wrote() {
        LockInfo me = LockInfo.ofThisProcess("apply", Map.of());
        try (GitStateBackend a = client("snapshot"); GitStateBackend b = client("snapshot")) {
            assertThat(a.get("state/k.json")).isEmpty();
            b.put("state/k.json", bytes("by b"), StateBackend.ANY);
            assertThat(a.get("state/k.json")).as("a plan reads the state as of its first read").isEmpty();
            assertThat(a.tryLock(me, Duration.ofMinutes(1)).taken()).isTrue();
            assertThat(a.get("state/k.json")).as("under the lock, what b wrote before").isPresent();
            a.releaseLock(me);
        }
    }

    @Test
    void the_code_branches_are_left_alone() throws Exception {
        try (GitStateBackend s = client("alone")) {
            s.put("state/a.json", bytes("v"), StateBackend.ANY);
        }
        try (Repository r = new FileRepositoryBuilder().setGitDir(server.repository("alone").toFile()).setBare().build()) {
            assertThat(r.getRefDatabase().getRefs()).extracting(ref -> ref.getName()).containsExactly("refs/heads/teeflow-state");
        }
    }

    /** Two first runs at once: the one whose copy saw no branch yet finds it made meanwhile, and builds on it. */
    @Test
    void a_writer_that_saw_no_branch_yet_builds_on_the_one_made_meanwhile() throws Exception {
        try (GitStateBackend late = client("branch-race"); GitStateBackend first = client("branch-race")) {
            assertThat(late.get("state/a.json")).isEmpty(); // fetched: no branch yet
            first.put("state/b.json", bytes("first"), StateBackend.ABSENT);
            late.put("state/a.json", bytes("late"), StateBackend.ABSENT);
            assertThat(late.get("state/b.json")).isPresent();
        }
        assertThat(log("branch-race", "teeflow-state")).hasSize(2);
    }

    @Test
    void refused_credentials_are_a_clear_error_without_the_token() {
        GitStateSettings wrong = new GitStateSettings(GitRemote.parse(server.remote("creds")), null, "", "ci",
                Secret.ofText(SecretRef.env("GITHUB_TOKEN"), "wrong-token-value"), null, new PersonIdent("t", "t@localhost"));
        try (GitStateBackend s = new GitStateBackend(wrong, dir.resolve("cache-wrong"))) {
            assertThatThrownBy(() -> s.put("state/a.json", bytes("v"), StateBackend.ANY)).isInstanceOf(TeeflowException.class)
                    .hasMessageContaining("refused the credentials").hasMessageContaining("env:GITHUB_TOKEN")
                    .hasMessageContaining("state.token").hasMessageNotContaining("wrong-token-value");
        }
    }
}
