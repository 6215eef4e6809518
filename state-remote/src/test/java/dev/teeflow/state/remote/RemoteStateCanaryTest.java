package dev.teeflow.state.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.state.Intent;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateBackends;
import dev.teeflow.engine.state.StateEncryption;
import dev.teeflow.engine.state.StateStore;
import dev.teeflow.engine.state.StepRecord;
import dev.teeflow.devnet.git.GitHostServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the engine's state store, the git and s3 backends hold only encrypted blobs: a canary secret
 * (in a record, an intent, a step secret) and the project key appear in no commit, tree, blob or object,
 * in plain, base64 or hex. Without encryption a remote state is refused before anything is written.
 */
class RemoteStateCanaryTest {
    static final String CANARY = "canary-7d1e-remote-state-do-not-leak";
    static final String PASSPHRASE = "team passphrase 3f9";

    @TempDir
    Path dir;

    private static StepRecord record(String address) {
        return new StepRecord(StepRecord.SCHEMA, dev.teeflow.engine.run.CacheKey.SCHEME, address, "t", 1, "key-" + address, Map.of("in:x", "d"),
                Map.of("value", CANARY), Map.of(), "now");
    }

    /** Writes the canary everywhere a run keeps secrets; returns the project key. */
    private static byte[] writeCanaries(StateStore store) {
        store.write(record("dataset.encrypt"));
        store.writeIntent(new Intent("deal.make", "key", "now", Map.of("tx", CANARY)));
        store.writeSecret("dataset.encrypt", "key", CANARY.getBytes(StandardCharsets.UTF_8));
        return store.projectKey();
    }

    @Test
    void both_backends_are_found_by_the_state_registry() {
        assertThat(StateBackends.load().kinds()).contains("git", "s3", "local");
    }

    @Test
    void the_git_remote_holds_no_canary_in_any_commit_tree_or_blob() throws Exception {
        try (GitHostServer server = GitHostServer.start(dir.resolve("git"), 0, "ci", "tok-91x")) {
            Map<String, String> env = Map.of("GITHUB_TOKEN", "tok-91x", "STATE_PASSPHRASE", PASSPHRASE);
            Map<String, String> settings = Map.of("remote", server.repositoryUrl("team", "app").toString(),
                    "username", "ci", "token", "env:GITHUB_TOKEN");
            byte[] projectKey;
            try (StateBackend backend = RemoteStateFixture.open("git", settings, env, dir, dir.resolve("cache-a"))) {
                projectKey = writeCanaries(new StateStore(dir.resolve("cache-a"), backend,
                        new StateEncryption(PASSPHRASE.toCharArray(), 1000)));
            }
            try (StateBackend other = RemoteStateFixture.open("git", settings, env, dir, dir.resolve("cache-b"))) {
                StateStore b = new StateStore(dir.resolve("cache-b"), other, new StateEncryption(PASSPHRASE.toCharArray(), 1000));
                assertThat(b.read("dataset.encrypt").record()).isEqualTo(record("dataset.encrypt"));
                assertThat(b.projectKey()).isEqualTo(projectKey);
            }

            CanaryForms forms = new CanaryForms(CANARY.getBytes(StandardCharsets.UTF_8), projectKey,
                    PASSPHRASE.getBytes(StandardCharsets.UTF_8));
            int objects = 0;
            try (Repository repo = new FileRepositoryBuilder().setGitDir(server.root().resolve("team/app.git").toFile())
                    .setBare().build(); ObjectWalk walk = new ObjectWalk(repo)) {
                for (Ref ref : repo.getRefDatabase().getRefs()) {
                    walk.markStart(walk.parseAny(ref.getObjectId()));
                }
                for (RevCommit c = walk.next(); c != null; c = walk.next()) {
                    forms.assertAbsent("commit " + c.name(), repo.open(c).getBytes());
                    objects++;
                }
                for (RevObject o = walk.nextObject(); o != null; o = walk.nextObject()) {
                    ObjectId id = o.getId();
                    forms.assertAbsent(o.getType() + " " + id.name() + " " + walk.getPathString(), repo.open(id).getBytes());
                    objects++;
                }
            }
            assertThat(objects).isGreaterThan(10);
        }
    }

    @Test
    void a_git_state_without_encryption_is_refused_and_the_remote_gets_nothing() {
        try (GitHostServer server = GitHostServer.start(dir.resolve("git"), 0, "ci", "tok-91x")) {
            Map<String, String> env = Map.of("GITHUB_TOKEN", "tok-91x");
            try (StateBackend backend = RemoteStateFixture.open("git", Map.of("remote",
                    server.repositoryUrl("team", "plain").toString(), "token", "env:GITHUB_TOKEN"), env, dir, dir.resolve("c"))) {
                assertThatThrownBy(() -> new StateStore(dir.resolve("c"), backend, null)).isInstanceOf(TeeflowException.class)
                        .hasMessageContaining("encryption");
                assertThat(backend.list("")).isEmpty();
                assertThat(backend.history("encryption.json")).isEmpty();
            }
        }
    }

    @Test
    void the_s3_store_holds_no_canary_in_any_object() throws Exception {
        try (var proxy = dev.teeflow.state.remote.s3.S3ProxyAccess.start(dir.resolve("s3"), "state")) {
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", proxy.accessKey(), "AWS_SECRET_ACCESS_KEY", proxy.secretKey(),
                    "STATE_PASSPHRASE", PASSPHRASE);
            Map<String, String> settings = Map.of("endpoint", proxy.endpoint().toString(), "bucket", "state",
                    "path-style", "true", "prefix", "team/app", "access-key-id", "env:AWS_ACCESS_KEY_ID",
                    "secret-access-key", "env:AWS_SECRET_ACCESS_KEY");
            byte[] projectKey;
            try (StateBackend backend = RemoteStateFixture.open("s3", settings, env, dir, dir.resolve("cache-a"))) {
                projectKey = writeCanaries(new StateStore(dir.resolve("cache-a"), backend,
                        new StateEncryption(PASSPHRASE.toCharArray(), 1000)));
            }
            try (StateBackend other = RemoteStateFixture.open("s3", settings, env, dir, dir.resolve("cache-b"))) {
                StateStore b = new StateStore(dir.resolve("cache-b"), other, new StateEncryption(PASSPHRASE.toCharArray(), 1000));
                assertThat(b.readSecret("dataset.encrypt", "key")).hasValueSatisfying(
                        v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo(CANARY));
            }

            CanaryForms forms = new CanaryForms(CANARY.getBytes(StandardCharsets.UTF_8), projectKey,
                    PASSPHRASE.getBytes(StandardCharsets.UTF_8));
            long files;
            try (Stream<Path> all = Files.walk(proxy.dataDir())) {
                var stored = all.filter(Files::isRegularFile).toList();
                for (Path f : stored) {
                    forms.assertAbsent(proxy.dataDir().relativize(f).toString(), Files.readAllBytes(f));
                }
                files = stored.stream().filter(f -> f.toString().contains("team/app/")).count();
            }
            assertThat(files).as("objects written under the prefix (values and their history)").isGreaterThanOrEqualTo(8);
        }
    }
}
