package dev.teeflow.actions.dataset;

import dev.teeflow.actions.net.Retries;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.protocol.net.RetriesExhaustedException;
import dev.teeflow.protocol.net.RetryPolicy;
import dev.teeflow.protocol.net.TransientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * {@code git: {remote, branch, path, username, password | token, url, verify, author}}: places the
 * ciphertext at {@code path} on {@code branch} and pushes, only when the remote does not already
 * hold these exact bytes there.
 *
 * <p>Works in a bare cache repository under the step's work folder and builds the commit directly
 * from the remote head's tree (no checkout, so a large repository costs no working copy). A push
 * rejected because someone else pushed meanwhile is retried on top of the new head.
 */
final class GitPublisher implements PublishTarget {
    static final int MAX_PUSH_ATTEMPTS = 5;
    private static final String LOCAL_REF = "refs/teeflow/publish";
    private static final int TIMEOUT_SECONDS = 120;

    @Override
    public Published publish(Job job) throws Exception {
        GitSettings g = GitSettings.read(job.owner(), job.settings());
        String pattern = g.urlPattern().or(() -> RawUrlTemplate.builtIn(g.remote()))
                .orElseThrow(() -> new TeeflowException(job.owner() + ": " + RawUrlTemplate.missingPatternMessage(g.remote())));
        ObjectId blob = blobId(job.ciphertext());
        String path = ContentAddressedPath.of(g.path(), job.checksum());
        ObjectId commit = null;
        try (Repository repo = cache(job, g); GitAccess access = GitAccess.open(job.ctx(), g)) {
            Remote remote = new Remote(job, g, access);
            for (int attempt = 1; attempt <= MAX_PUSH_ATTEMPTS && commit == null; attempt++) {
                ObjectId head = fetchHead(remote, repo);
                String already = head == null ? null : alreadyThere(repo, head, blob, g, path);
                if (already != null) {
                    job.ctx().log().info(g.remote().display() + " already has these bytes at " + already
                            + " on " + g.branch() + " (" + head.abbreviate(10).name() + "): nothing to push");
                    path = already;
                    commit = head;
                    break;
                }
                ObjectId occupant = head == null ? null : blobAt(repo, head, path);
                if (occupant != null) {
                    throw new TeeflowException(job.owner() + ": " + g.remote().display() + " already holds other bytes at "
                            + path + " on " + g.branch() + "; published bytes are never replaced (a deployed dataset may"
                            + " point at them): change git.path");
                }
                ObjectId candidate = commitOnto(repo, head, g, path, job.ciphertext(), job.checksum());
                job.ctx().log().info("pushing " + path + " to " + g.remote().display() + " " + g.branch());
                if (push(remote, repo)) {
                    commit = candidate;
                } else {
                    job.ctx().log().warn("the remote branch " + g.branch() + " moved while publishing; retrying on top of"
                            + " its new head (attempt " + (attempt + 1) + " of " + MAX_PUSH_ATTEMPTS + ")");
                }
            }
        }
        if (commit == null) {
            throw new TeeflowException(job.owner() + ": " + g.remote().display() + " branch " + g.branch()
                    + " kept moving: gave up after " + MAX_PUSH_ATTEMPTS + " attempts; run again");
        }
        String url = RawUrlTemplate.render(pattern, g.remote(), g.branch(), path, commit.name());
        if (g.verify()) {
            Downloads.Fetched back = Downloads.awaitChecksum(Downloads.client(job.ctx()), url, job.checksum(), 5, Duration.ofSeconds(2));
            if (!back.matches(job.checksum())) {
                throw new TeeflowException(job.owner() + ": pushed, but " + url + " does not serve the ciphertext ("
                        + (back.status() != 200 ? "HTTP " + back.status() : "checksum " + back.checksum())
                        + ", expected " + job.checksum() + "); check git.url");
            }
            job.ctx().log().info("verified: " + url + " serves " + job.checksum());
        }
        return new Published(url, commit.name(), path);
    }

    @Override
    public Check verify(Job job, Outputs recorded) throws Exception {
        GitSettings g = GitSettings.read(job.owner(), job.settings());
        Optional<String> commit = recorded.string("commit");
        Optional<String> blob = recorded.string("blob");
        // records from before content addressing have no path: the bytes are at git.path itself
        String path = recorded.string("path").orElse(g.path());
        try (GitAccess access = GitAccess.open(job.ctx(), g); Repository repo = cache(job, g)) {
            Remote remote = new Remote(job, g, access);
            ObjectId head = remoteHead(remote);
            if (head == null) {
                return Check.gone("branch " + g.branch() + " no longer exists on " + g.remote().display());
            }
            if (commit.isPresent() && commit.get().equals(head.name())) {
                return Check.holds();
            }
            fetch(remote, repo);
            ObjectId there = blobAt(repo, head, path);
            if (there != null && blob.isPresent() && there.name().equals(blob.get())) {
                return Check.holds();
            }
        }
        return Check.gone(g.remote().display() + " no longer has the ciphertext at " + path + " on " + g.branch());
    }

    /** The blob id git gives these bytes; output so that verify can compare without the file. */
    static ObjectId blobId(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB, Files.size(file), in);
        }
    }

    private static Repository cache(Job job, GitSettings g) throws IOException {
        Path dir = job.ctx().workDir().resolve("git").resolve(cacheName(g));
        Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        if (!repo.getObjectDatabase().exists()) {
            repo.create(true);
        }
        return repo;
    }

    private static String cacheName(GitSettings g) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(g.remote().display().getBytes(StandardCharsets.UTF_8));
            String repo = g.remote().repo().replaceAll("[^A-Za-z0-9._-]", "_");
            return (repo.isEmpty() ? "repo" : repo) + "-" + HexFormat.of().formatHex(h, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What every call to the remote needs: the job, the settings and how to authenticate. */
    private record Remote(Job job, GitSettings g, GitAccess access) {
    }

    /** The remote's head of the branch, fetched into the cache; {@code null} when the branch does not exist yet. */
    private ObjectId fetchHead(Remote r, Repository repo) {
        ObjectId head = remoteHead(r);
        if (head != null) {
            fetch(r, repo);
        }
        return head;
    }

    private ObjectId remoteHead(Remote r) {
        GitSettings g = r.g();
        Collection<Ref> refs = transport(r, "read", () -> r.access().apply(Git.lsRemoteRepository()
                .setRemote(g.remote().url()).setHeads(true).setTimeout(TIMEOUT_SECONDS)).call());
        String name = Constants.R_HEADS + g.branch();
        return refs.stream().filter(ref -> ref.getName().equals(name)).map(Ref::getObjectId).findFirst().orElse(null);
    }

    private void fetch(Remote r, Repository repo) {
        GitSettings g = r.g();
        String branch = Constants.R_HEADS + g.branch();
        try (Git git = new Git(repo)) {
            transport(r, "fetch from", () -> r.access().apply(git.fetch().setRemote(g.remote().url())
                    .setRefSpecs(new RefSpec("+" + branch + ":refs/remotes/origin/" + g.branch()))
                    .setTimeout(TIMEOUT_SECONDS)).call());
        }
    }

    /**
     * Where the branch already holds exactly these bytes: the content-addressed path, or git.path as written when
     * an earlier teeflow published them there (kept, so that an upgrade deploys no new dataset); else null.
     */
    private static String alreadyThere(Repository repo, ObjectId head, ObjectId blob, GitSettings g, String path)
            throws IOException {
        if (blob.equals(blobAt(repo, head, path))) {
            return path;
        }
        if (!ContentAddressedPath.placed(g.path()) && blob.equals(blobAt(repo, head, g.path()))) {
            return g.path();
        }
        return null;
    }

    private static ObjectId blobAt(Repository repo, ObjectId commit, String path) throws IOException {
        try (RevWalk rw = new RevWalk(repo); TreeWalk tw = TreeWalk.forPath(repo, path, rw.parseCommit(commit).getTree())) {
            return tw == null || tw.getFileMode(0) != FileMode.REGULAR_FILE ? null : tw.getObjectId(0);
        }
    }

    /** A commit on top of {@code head} (or a first commit) whose tree is head's with the file at path replaced. */
    private static ObjectId commitOnto(Repository repo, ObjectId head, GitSettings g, String path, Path file, String checksum) throws IOException {
        long size = Files.size(file);
        try (ObjectInserter ins = repo.newObjectInserter(); ObjectReader reader = repo.newObjectReader();
             RevWalk rw = new RevWalk(reader)) {
            ObjectId blob;
            try (InputStream in = Files.newInputStream(file)) {
                blob = ins.insert(Constants.OBJ_BLOB, size, in);
            }
            DirCache index = DirCache.newInCore();
            if (head != null) {
                DirCacheBuilder b = index.builder();
                b.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, rw.parseCommit(head).getTree());
                b.finish();
            }
            DirCacheEditor editor = index.editor();
            editor.add(new DirCacheEditor.PathEdit(path) {
                @Override
                public void apply(DirCacheEntry ent) {
                    ent.setFileMode(FileMode.REGULAR_FILE);
                    ent.setObjectId(blob);
                    ent.setLength(size);
                }
            });
            editor.finish();
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(index.writeTree(ins));
            if (head != null) {
                c.setParentId(head);
            }
            c.setAuthor(g.author());
            c.setCommitter(g.author());
            c.setMessage("Publish " + path + "\n\nsha256 " + checksum + "\n");
            ObjectId commit = ins.insert(c);
            ins.flush();
            RefUpdate ru = repo.updateRef(LOCAL_REF);
            ru.setNewObjectId(commit);
            ru.disableRefLog();
            ru.forceUpdate();
            return commit;
        }
    }

    /** Pushes the local commit; false when the remote moved meanwhile (retry), a TeeflowException when refused otherwise. */
    private boolean push(Remote remote, Repository repo) {
        Job job = remote.job();
        GitSettings g = remote.g();
        String target = Constants.R_HEADS + g.branch();
        Iterable<PushResult> results;
        try (Git git = new Git(repo)) {
            // Pushing the same commit again is harmless (the ref is then up to date), so transport errors are retried.
            results = transport(remote, "push to", () -> remote.access().apply(git.push().setRemote(g.remote().url())
                    .setRefSpecs(new RefSpec(LOCAL_REF + ":" + target)).setTimeout(TIMEOUT_SECONDS)).call());
        }
        return PushVerdict.accepted(results, target, job.owner() + ": " + g.remote().display(), g.branch(), "",
                message -> clean(job, message));
    }

    /** One git call to the remote. */
    private interface RemoteCall<T> {
        T call() throws Exception;
    }

    /**
     * Runs a call to the remote, again under the run's retry policy when it failed because the remote was
     * away or overloaded (refused or reset connections, timeouts, HTTP 5xx/429). ls-remote and fetch only read;
     * a push of the same commit is idempotent.
     */
    private static <T> T transport(Remote remote, String action, RemoteCall<T> call) {
        Job job = remote.job();
        GitSettings g = remote.g();
        try {
            return Retries.policy(job.ctx()).run("git remote " + g.remote().display(), RetryPolicy.Safety.IDEMPOTENT,
                    job.ctx().log()::warn, () -> {
                        try {
                            return call.call();
                        } catch (Exception e) {
                            // An untrusted host key is final: asking again would only get the same key.
                            String problem = remote.access().refusal().isPresent() ? null : transientProblem(e);
                            if (problem != null) {
                                throw new TransientException(problem, e.getMessage(), e);
                            }
                            throw new Wrapped(e);
                        }
                    });
        } catch (Wrapped w) {
            throw failure(remote, action, w.original);
        } catch (RetriesExhaustedException e) {
            Exception last = e.getCause() != null && e.getCause().getCause() instanceof Exception original ? original : e;
            TeeflowException f = failure(remote, action, last);
            throw new TeeflowException(f.getMessage() + " (" + RetryPolicy.attempts(e.attempts()) + ")", e);
        } catch (IOException e) {
            throw failure(remote, action, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TeeflowException(job.owner() + ": interrupted while talking to " + g.remote().display(), e);
        }
    }

    /** Carries a non-transient failure through the retry policy untouched. */
    private static final class Wrapped extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Exception original;

        Wrapped(Exception original) {
            super(original);
            this.original = original;
        }
    }

    /** "answered 503" or "is unreachable (...)" when a retry may help; null when it cannot. */
    static String transientProblem(Exception e) {
        return GitErrors.transientProblem(e);
    }

    /** One clear error for what went wrong talking to the remote; never a credential. */
    private static TeeflowException failure(Remote r, String action, Exception e) {
        return GitErrors.failure(r.job().owner(), r.g().remote(), r.access(), r.job().ctx().redactor(), action, e, "git.remote");
    }

    private static String clean(Job job, String text) {
        return job.ctx().redactor().redact(GitRemote.withoutCredentials(text));
    }
}
