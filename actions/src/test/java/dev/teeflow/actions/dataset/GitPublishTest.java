package dev.teeflow.actions.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.testing.FakeStepContext;
import dev.teeflow.protocol.dataset.DatasetChecksum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dataset.publish with git: against a real smart-HTTP git server with basic auth, and file:// remotes. */
class GitPublishTest {
    static final String ADDRESS = "dataset.emails.publish";
    static final String PASSWORD = "s3cr3t-t0ken-value";

    @TempDir
    Path project;
    @TempDir
    Path hosted;
    GitHttpTestServer server;
    Repository remoteRepo;
    Path ciphertext;
    String checksum;
    final PublishDatasetStep step = new PublishDatasetStep();

    @BeforeEach
    void setUp() throws Exception {
        server = new GitHttpTestServer(hosted, "alice", PASSWORD);
        remoteRepo = server.createRepo("alice/data");
        ciphertext = writeCiphertext(1);
    }

    @AfterEach
    void tearDown() throws Exception {
        remoteRepo.close();
        server.close();
    }

    @Test
    void pushesWithTheRightCredentialsAndTheRawUrlServesTheBytes() throws Exception {
        FakeStepContext ctx = context(git(server.remote("alice/data"), secret(PASSWORD), true));
        Outputs out = step.run(ctx);

        ObjectId head = remoteRepo.resolve("refs/heads/main");
        assertThat(out.get("commit")).isEqualTo(head.name());
        assertThat(out.get("url")).isEqualTo("http://127.0.0.1:" + server.port() + "/raw/alice/data/main/" + published());
        assertThat(out.get("checksum")).isEqualTo(checksum);
        assertThat(fileAt(remoteRepo, head, published())).isEqualTo(Files.readAllBytes(ciphertext));
        assertThat(ctx.lines()).anyMatch(l -> l.contains("verified"));
        assertThat(String.join("\n", ctx.lines())).doesNotContain(PASSWORD);
        assertThat(step.verify(context(git(server.remote("alice/data"), secret(PASSWORD), false)), out).stillHolds()).isTrue();
    }

    @Test
    void unchangedBytesMakeNoNewCommitAndChangedBytesMakeOne() throws Exception {
        Outputs first = step.run(context(git(server.remote("alice/data"), secret(PASSWORD), false)));
        FakeStepContext again = context(git(server.remote("alice/data"), secret(PASSWORD), false));
        Outputs second = step.run(again);
        assertThat(second.get("commit")).isEqualTo(first.get("commit"));
        assertThat(remoteRepo.resolve("refs/heads/main").name()).isEqualTo(first.get("commit"));
        assertThat(again.lines()).anyMatch(l -> l.contains("nothing to push"));

        ciphertext = writeCiphertext(2);
        Outputs third = step.run(context(git(server.remote("alice/data"), secret(PASSWORD), false)));
        assertThat(third.get("commit")).isNotEqualTo(first.get("commit"));
        try (RevWalk rw = new RevWalk(remoteRepo)) {
            RevCommit c = rw.parseCommit(remoteRepo.resolve("refs/heads/main"));
            assertThat(c.getParent(0).name()).isEqualTo(first.get("commit"));
        }
    }

    @Test
    void wrongOrMissingCredentialsAreOneClearErrorWithoutTheSecret() throws Exception {
        Throwable wrong = catchThrowable(() -> step.run(context(git(server.remote("alice/data"), secret("wrong-" + PASSWORD), false))));
        assertThat(wrong).isInstanceOf(TeeflowException.class).hasMessageContaining("refused the credentials")
                .hasMessageContaining("env:GIT_TOKEN").hasMessageNotContaining(PASSWORD);
        Throwable none = catchThrowable(() -> step.run(context(git(server.remote("alice/data"), null, false))));
        assertThat(none).isInstanceOf(TeeflowException.class).hasMessageContaining("refused the credentials");
        assertThat(remoteRepo.resolve("refs/heads/main")).isNull();
    }

    @Test
    void credentialsInTheRemoteUrlNeverShowInErrors() throws Exception {
        String remote = "http://alice:" + PASSWORD + "@127.0.0.1:" + server.port() + "/alice/missing.git";
        Throwable t = catchThrowable(() -> step.run(context(git(remote, null, false))));
        assertThat(t).isInstanceOf(TeeflowException.class).hasMessageNotContaining(PASSWORD);
    }

    @Test
    void aRemoteThatDoesNotExistIsAClearError() throws Exception {
        Throwable http = catchThrowable(() -> step.run(context(git(server.remote("alice/nope"), secret(PASSWORD), false))));
        assertThat(http).isInstanceOf(TeeflowException.class).hasMessageContaining("does not exist").hasMessageNotContaining(PASSWORD);
        Throwable file = catchThrowable(() -> step.run(context(git(hosted.resolve("nowhere.git").toUri().toString(), null, false))));
        assertThat(file).isInstanceOf(TeeflowException.class).hasMessageContaining(ADDRESS).hasMessageContaining("does not exist");
    }

    @Test
    void publishesToAFileRemote() throws Exception {
        Outputs out = step.run(context(git(hosted.resolve("alice/data.git").toUri().toString(), null, false)));
        assertThat(fileAt(remoteRepo, remoteRepo.resolve("refs/heads/main"), published()))
                .isEqualTo(Files.readAllBytes(ciphertext));
        assertThat(out.get("commit")).isEqualTo(remoteRepo.resolve("refs/heads/main").name());
    }

    @Test
    void retriesOnTopOfTheNewHeadWhenTheRemoteMovesDuringThePush() throws Exception {
        ObjectId before = commitFile(remoteRepo, null, "README.md", "hello".getBytes());
        server.beforeNextPush.set(() -> {
            try {
                commitFile(remoteRepo, remoteRepo.resolve("refs/heads/main"), "other.txt", "someone else".getBytes());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        FakeStepContext ctx = context(git(server.remote("alice/data"), secret(PASSWORD), true));
        Outputs out = step.run(ctx);

        assertThat(ctx.lines()).anyMatch(l -> l.contains("moved"));
        ObjectId head = remoteRepo.resolve("refs/heads/main");
        assertThat(out.get("commit")).isEqualTo(head.name());
        assertThat(fileAt(remoteRepo, head, "other.txt")).isEqualTo("someone else".getBytes());
        assertThat(fileAt(remoteRepo, head, "README.md")).isEqualTo("hello".getBytes());
        assertThat(fileAt(remoteRepo, head, published())).isEqualTo(Files.readAllBytes(ciphertext));
        try (RevWalk rw = new RevWalk(remoteRepo)) {
            RevCommit c = rw.parseCommit(head);
            assertThat(rw.parseCommit(c.getParent(0)).getParent(0).getId()).isEqualTo(before);
        }
    }

    @Test
    void verifyNoticesWhenTheRemoteNoLongerHasTheBytes() throws Exception {
        Outputs out = step.run(context(git(server.remote("alice/data"), secret(PASSWORD), false)));
        commitFile(remoteRepo, remoteRepo.resolve("refs/heads/main"), "unrelated.txt", "x".getBytes());
        FakeStepContext ctx = context(git(server.remote("alice/data"), secret(PASSWORD), false));
        assertThat(step.verify(ctx, out).stillHolds()).as("another file changed: ours is still there").isTrue();

        ObjectId replaced = commitFile(remoteRepo, remoteRepo.resolve("refs/heads/main"), published(), "other".getBytes());
        assertThat(replaced).isNotNull();
        assertThat(step.verify(ctx, out).reason()).contains("no longer has the ciphertext");
    }

    @Test
    void aWrongDownloadPatternFailsVerification() throws Exception {
        Map<String, Object> git = git(server.remote("alice/data"), secret(PASSWORD), true);
        git.put("url", "http://127.0.0.1:" + server.port() + "/raw/{owner}/{repo}/elsewhere/{path}");
        Throwable t = catchThrowable(() -> step.run(context(git)));
        assertThat(t).isInstanceOf(TeeflowException.class).hasMessageContaining("does not serve the ciphertext");
    }

    @Test
    void newBytesGoToANewPathAndTheBytesADatasetPointsAtStay() throws Exception {
        Outputs first = step.run(context(git(server.remote("alice/data"), secret(PASSWORD), false)));
        byte[] firstBytes = Files.readAllBytes(ciphertext);
        String firstPath = published();
        assertThat(first.get("path").toString()).isEqualTo(firstPath).startsWith("enc/emails.xlsx.").endsWith(".enc")
                .contains(checksum.substring(2, 18));

        ciphertext = writeCiphertext(2);
        Outputs second = step.run(context(git(server.remote("alice/data"), secret(PASSWORD), false)));
        ObjectId head = remoteRepo.resolve("refs/heads/main");
        assertThat(second.get("path")).isEqualTo(published()).isNotEqualTo(firstPath);
        assertThat(fileAt(remoteRepo, head, firstPath)).isEqualTo(firstBytes);
        assertThat(fileAt(remoteRepo, head, published())).isEqualTo(Files.readAllBytes(ciphertext));
        assertThat(step.verify(context(git(server.remote("alice/data"), secret(PASSWORD), false)), first).stillHolds())
                .as("the first publish still holds: its bytes are where its record says").isTrue();
    }

    @Test
    void bytesAnEarlierVersionPublishedAtThePathAsWrittenAreKeptThere() throws Exception {
        commitFile(remoteRepo, null, "enc/emails.xlsx.enc", Files.readAllBytes(ciphertext));
        ObjectId before = remoteRepo.resolve("refs/heads/main");
        FakeStepContext ctx = context(git(server.remote("alice/data"), secret(PASSWORD), false));
        Outputs out = step.run(ctx);
        assertThat(out.get("path")).isEqualTo("enc/emails.xlsx.enc");
        assertThat(out.get("url").toString()).endsWith("/raw/alice/data/main/enc/emails.xlsx.enc");
        assertThat(out.get("commit")).isEqualTo(before.name());
        assertThat(ctx.lines()).anyMatch(l -> l.contains("nothing to push"));

        Outputs legacyRecord = Outputs.builder().put("url", out.get("url")).put("checksum", checksum)
                .put("commit", "0".repeat(40)).put("blob", out.get("blob")).build();
        assertThat(step.verify(ctx, legacyRecord).stillHolds()).as("a record without path: the path as written").isTrue();
    }

    @Test
    void aPlacedPathThatHoldsOtherBytesIsRefusedAndNothingIsPushed() throws Exception {
        Map<String, Object> git = git(server.remote("alice/data"), secret(PASSWORD), false);
        git.put("path", "data/{checksum}/emails.enc");
        String taken = "data/" + checksum.substring(2, 18) + "/emails.enc";
        ObjectId before = commitFile(remoteRepo, null, taken, "someone else's".getBytes());
        Throwable t = catchThrowable(() -> step.run(context(git)));
        assertThat(t).isInstanceOf(TeeflowException.class).hasMessageContaining(taken)
                .hasMessageContaining("never replaced");
        assertThat(remoteRepo.resolve("refs/heads/main")).isEqualTo(before);
    }

    private String published() {
        return ContentAddressedPath.of("enc/emails.xlsx.enc", checksum);
    }

    private Map<String, Object> git(String remote, Secret token, boolean verify) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("remote", remote);
        g.put("path", "enc/emails.xlsx.enc");
        g.put("url", server.rawPattern());
        g.put("verify", verify);
        if (token != null) {
            g.put("username", "alice");
            g.put("token", token);
        }
        return g;
    }

    private static Secret secret(String value) {
        return Secret.ofText(SecretRef.env("GIT_TOKEN"), value);
    }

    private FakeStepContext context(Map<String, Object> git) {
        Map<String, Object> inputs = new HashMap<>();
        inputs.put("ciphertext", ciphertext.toString());
        inputs.put("checksum", checksum);
        inputs.put("git", git);
        return new FakeStepContext(ADDRESS, project, inputs);
    }

    private Path writeCiphertext(int seed) throws Exception {
        byte[] b = new byte[64 * 1024 + 16];
        new Random(seed).nextBytes(b);
        Path p = Files.write(Files.createDirectories(project.resolve("state")).resolve("emails.xlsx.enc"), b);
        checksum = DatasetChecksum.of(p);
        return p;
    }

    static byte[] fileAt(Repository repo, ObjectId commit, String path) throws Exception {
        try (RevWalk rw = new RevWalk(repo); TreeWalk tw = TreeWalk.forPath(repo, path, rw.parseCommit(commit).getTree())) {
            assertThat(tw).as(path + " in " + commit.name()).isNotNull();
            return repo.open(tw.getObjectId(0)).getBytes();
        }
    }

    /** Commits one file directly into a (bare) repository's main branch, as another client's push would. */
    static ObjectId commitFile(Repository repo, ObjectId parent, String path, byte[] content) throws Exception {
        try (ObjectInserter ins = repo.newObjectInserter(); RevWalk rw = new RevWalk(repo)) {
            ObjectId blob = ins.insert(Constants.OBJ_BLOB, content);
            DirCache index = DirCache.newInCore();
            if (parent != null) {
                DirCacheBuilder b = index.builder();
                b.addTree(new byte[0], DirCacheEntry.STAGE_0, repo.newObjectReader(), rw.parseCommit(parent).getTree());
                b.finish();
            }
            DirCacheEditor ed = index.editor();
            ed.add(new DirCacheEditor.PathEdit(path) {
                @Override
                public void apply(DirCacheEntry ent) {
                    ent.setFileMode(FileMode.REGULAR_FILE);
                    ent.setObjectId(blob);
                }
            });
            ed.finish();
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(index.writeTree(ins));
            if (parent != null) {
                c.setParentId(parent);
            }
            PersonIdent who = new PersonIdent("bob", "bob@example.org");
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("bob's change");
            ObjectId id = ins.insert(c);
            ins.flush();
            RefUpdate ru = repo.updateRef("refs/heads/main");
            ru.setNewObjectId(id);
            ru.forceUpdate();
            return id;
        }
    }
}
