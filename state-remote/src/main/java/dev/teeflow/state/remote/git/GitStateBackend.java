package dev.teeflow.state.remote.git;

import dev.teeflow.actions.dataset.GitAccess;
import dev.teeflow.actions.dataset.GitErrors;
import dev.teeflow.actions.dataset.HttpsAccess;
import dev.teeflow.actions.dataset.PushVerdict;
import dev.teeflow.actions.dataset.SshAccess;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Redactor;
import dev.teeflow.engine.state.Backoff;
import dev.teeflow.engine.state.ConflictException;
import dev.teeflow.engine.state.LockInfo;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.state.remote.LeaseRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.TransportException;
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
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * State on a branch of a git remote, one commit per write: each key is a file under the settings' folder,
 * {@code lock.json} beside them is the lease lock, and a key's history is the log of its file.
 *
 * <p>Compare-and-swap is the push itself: a commit is built on the head last fetched and pushed as a
 * fast-forward; a push refused because the branch moved means someone else wrote. The branch is then
 * fetched again: if the key still has the version the write expected, the same change is rebuilt on the
 * new head and pushed again (other keys changed, which is safe); otherwise the write is a
 * {@link ConflictException}. The remote's files are read from a bare cache repository on this machine,
 * fetched once per backend for reads and again whenever the lock is taken; every push of its own keeps it
 * current.
 */
public final class GitStateBackend implements StateBackend {
    static final String LOCK = "lock.json";
    static final int MAX_PUSH_ATTEMPTS = 5;
    private static final int TIMEOUT_SECONDS = 60;
    private static final String OWNER = "state";

    private final GitStateSettings settings;
    private final Repository cache;
    private final GitAccess access;
    private final Redactor redactor = new Redactor();
    private final String trackingRef;
    private final Map<String, Boolean> heldLocks = new LinkedHashMap<>();
    private ObjectId head;
    private boolean fetched;

    /** {@code cacheDir}: a folder of this machine's own for the bare cache repository (rebuilt when missing). */
    public GitStateBackend(GitStateSettings settings, Path cacheDir) {
        this.settings = settings;
        settings.secrets().forEach(redactor::register);
        this.trackingRef = "refs/remotes/origin/" + settings.branch();
        try {
            Files.createDirectories(cacheDir);
            Repository repo = new FileRepositoryBuilder().setGitDir(cacheDir.resolve("repo.git").toFile()).setBare().build();
            if (!repo.getObjectDatabase().exists()) {
                repo.create(true);
            }
            this.cache = repo;
            this.access = settings.ssh() != null
                    ? SshAccess.open(OWNER, settings.ssh(), Files.createDirectories(cacheDir.resolve("ssh-home")).toFile(), OWNER)
                    : new HttpsAccess(settings.username(), settings.password(), OWNER);
        } catch (IOException e) {
            throw new TeeflowException("cannot make the git state cache " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String kind() {
        return "git";
    }

    @Override
    public String location() {
        return settings.describe();
    }

    @Override
    public String where(String key) {
        return settings.remote().display() + " " + settings.branch() + ":" + settings.path() + key;
    }

    @Override
    public boolean isRemote() {
        return true;
    }

    @Override
    public synchronized Optional<Blob> get(String key) {
        String path = file(key);
        refreshUnlessLocked();
        try {
            ObjectId blob = blobAt(head, path);
            return blob == null ? Optional.empty() : Optional.of(new Blob(cache.open(blob).getBytes(), blob.name()));
        } catch (IOException e) {
            throw cacheFailure(e);
        }
    }

    @Override
    public synchronized String put(String key, byte[] bytes, String expected) {
        String path = file(key);
        ObjectId written = commitAndPush("write " + key, Map.of(path, bytes), current -> {
            String version = current.get(path) == null ? ABSENT : current.get(path).name();
            if (!ANY.equals(expected) && !expected.equals(version)) {
                throw new ConflictException(where(key) + (ABSENT.equals(expected) ? " already exists (someone else made it)"
                        : " changed since it was read (someone else wrote it)"));
            }
        });
        try {
            return blobAt(written, path).name();
        } catch (IOException e) {
            throw cacheFailure(e);
        }
    }

    @Override
    public synchronized void delete(String key) {
        String path = file(key);
        refreshUnlessLocked();
        try {
            if (blobAt(head, path) == null) {
                return;
            }
        } catch (IOException e) {
            throw cacheFailure(e);
        }
        Map<String, byte[]> change = new LinkedHashMap<>();
        change.put(path, null);
        commitAndPush("delete " + key, change, current -> { });
    }

    @Override
    public synchronized List<String> list(String prefix) {
        refreshUnlessLocked();
        return new ArrayList<>(stateFiles(prefix).keySet());
    }

    /** Every key under {@code prefix} and its blob, in one walk of the head's tree (not one look-up per key). */
    @Override
    public synchronized Map<String, Blob> getAll(String prefix) {
        refreshUnlessLocked();
        Map<String, Blob> out = new java.util.TreeMap<>();
        try {
            for (Map.Entry<String, ObjectId> file : stateFiles(prefix).entrySet()) {
                out.put(file.getKey(), new Blob(cache.open(file.getValue()).getBytes(), file.getValue().name()));
            }
        } catch (IOException e) {
            throw cacheFailure(e);
        }
        return out;
    }

    /** The state's files under {@code prefix} in the head's tree (the lock file aside), by key, sorted. */
    private Map<String, ObjectId> stateFiles(String prefix) {
        Map<String, ObjectId> files = new java.util.TreeMap<>();
        if (head == null) {
            return files;
        }
        try (RevWalk rw = new RevWalk(cache); TreeWalk tw = new TreeWalk(cache)) {
            tw.addTree(rw.parseCommit(head).getTree());
            tw.setRecursive(true);
            String dir = settings.path();
            while (tw.next()) {
                String p = tw.getPathString();
                if (p.startsWith(dir) && tw.getFileMode(0) == FileMode.REGULAR_FILE) {
                    String key = p.substring(dir.length());
                    if (key.startsWith(prefix) && !key.equals(LOCK)) {
                        files.put(key, tw.getObjectId(0));
                    }
                }
            }
        } catch (IOException e) {
            throw cacheFailure(e);
        }
        return files;
    }

    @Override
    public synchronized List<Revision> history(String key) {
        String path = file(key);
        refresh();
        List<Revision> out = new ArrayList<>();
        if (head == null) {
            return out;
        }
        try (RevWalk rw = new RevWalk(cache)) {
            rw.markStart(rw.parseCommit(head));
            rw.setTreeFilter(AndTreeFilter.create(PathFilter.create(path), TreeFilter.ANY_DIFF));
            for (RevCommit c : rw) {
                ObjectId blob = blobAt(c, path);
                String time = Instant.ofEpochSecond(c.getCommitTime()).toString();
                out.add(new Revision(c.name(), time, blob == null ? null : cache.open(blob).getBytes()));
            }
        } catch (IOException e) {
            throw cacheFailure(e);
        }
        return out;
    }

    @Override
    public synchronized LockAttempt tryLock(LockInfo me, Duration lease) {
        String path = settings.path() + LOCK;
        LeaseRecord mine = LeaseRecord.held(me, lease, Instant.now());
        LockInfo[] holder = {null};
        try {
            commitAndPush("lock: taken by " + me.describe(), Map.of(path, mine.toJson()), current -> {
                ObjectId blob = current.get(path);
                if (blob != null) {
                    LeaseRecord there = LeaseRecord.parse(read(blob));
                    if (!there.heldBy(me) && !there.free(Optional.empty(), Instant.now())) {
                        holder[0] = there.holder();
                        throw new HeldElsewhere();
                    }
                }
            });
        } catch (HeldElsewhere e) {
            return LockAttempt.heldBy(holder[0]);
        }
        heldLocks.put(me.id(), true);
        return LockAttempt.taken(mine.holder());
    }

    @Override
    public synchronized boolean renewLock(LockInfo me, Duration lease) {
        String path = settings.path() + LOCK;
        try {
            commitAndPush("lock: renewed by " + me.describe(), Map.of(path, LeaseRecord.held(me, lease, Instant.now()).toJson()),
                    current -> {
                        ObjectId blob = current.get(path);
                        if (blob == null || !LeaseRecord.parse(read(blob)).heldBy(me)) {
                            throw new HeldElsewhere();
                        }
                    }, true);
            return true;
        } catch (HeldElsewhere lost) {
            heldLocks.remove(me.id());
            return false;
        }
    }

    @Override
    public synchronized void releaseLock(LockInfo me) {
        if (heldLocks.remove(me.id()) == null) {
            return;
        }
        String path = settings.path() + LOCK;
        Map<String, byte[]> change = new LinkedHashMap<>();
        change.put(path, null);
        try {
            commitAndPush("lock: released by " + me.describe(), change, current -> {
                ObjectId blob = current.get(path);
                if (blob == null || !LeaseRecord.parse(read(blob)).heldBy(me)) {
                    throw new HeldElsewhere(); // taken over or forced meanwhile: not ours to remove
                }
            }, true);
        } catch (HeldElsewhere notOurs) {
            // nothing to let go
        }
    }

    @Override
    public synchronized Optional<LockInfo> lockHolder() {
        refresh();
        try {
            ObjectId blob = blobAt(head, settings.path() + LOCK);
            return blob == null ? Optional.empty() : Optional.of(LeaseRecord.parse(read(blob)).holder());
        } catch (IOException e) {
            throw cacheFailure(e);
        }
    }

    @Override
    public synchronized Optional<LockInfo> forceUnlock(String lockId) {
        Optional<LockInfo> holder = lockHolder();
        if (holder.isEmpty()) {
            return holder;
        }
        if (lockId != null && holder.get().id() != null && !lockId.equals(holder.get().id())) {
            throw new TeeflowException("the lock of " + location() + " has id " + holder.get().id() + ", not " + lockId
                    + "; it is held by " + holder.get().describe());
        }
        String path = settings.path() + LOCK;
        Map<String, byte[]> change = new LinkedHashMap<>();
        change.put(path, null);
        commitAndPush("lock: forced open (was " + holder.get().describe() + ")", change, current -> { });
        return holder;
    }

    /** The lock was found held by someone else while building a change. */
    private static final class HeldElsewhere extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HeldElsewhere() {
            super(null, null, false, false);
        }
    }

    /** Checks the files a change touches as they are on the head it is built on; throws to give up. */
    private interface Precondition {
        void check(Map<String, ObjectId> current);
    }

    private ObjectId commitAndPush(String what, Map<String, byte[]> change, Precondition precondition) {
        return commitAndPush(what, change, precondition, false);
    }

    /**
     * Commits {@code change} (a null value deletes the file) on the head and pushes it; when the branch moved,
     * fetches it, checks the precondition again and retries. Returns the commit now at the head.
     */
    private ObjectId commitAndPush(String what, Map<String, byte[]> change, Precondition precondition, boolean fetchFirst) {
        boolean fresh = false;
        if (fetchFirst || !fetched) {
            refresh();
            fresh = true;
        }
        for (int attempt = 1; attempt <= MAX_PUSH_ATTEMPTS; attempt++) {
            try {
                Map<String, ObjectId> current = new LinkedHashMap<>();
                for (String path : change.keySet()) {
                    current.put(path, blobAt(head, path));
                }
                try {
                    precondition.check(current);
                } catch (RuntimeException failed) {
                    if (fresh) {
                        throw failed;
                    }
                    refresh(); // judged on an old copy: look at the remote before giving up
                    fresh = true;
                    attempt--;
                    continue;
                }
                ObjectId commit = commitOnto(head, what, change);
                Boolean pushed = pushOrLanded(commit, attempt);
                if (pushed == null) {
                    fresh = true; // the push failed on the way and did not land: judged again on the fetched head
                    continue;
                }
                if (pushed) {
                    setTracking(commit);
                    return commit;
                }
            } catch (IOException e) {
                throw cacheFailure(e);
            }
            refresh(); // someone else pushed: look again at what is there now
            fresh = true;
        }
        throw new TeeflowException("cannot " + what + " in " + location() + ": the branch kept moving (" + MAX_PUSH_ATTEMPTS
                + " attempts); another run may be writing without the lock");
    }

    private ObjectId commitOnto(ObjectId parent, String what, Map<String, byte[]> change) throws IOException {
        try (ObjectInserter ins = cache.newObjectInserter(); ObjectReader reader = cache.newObjectReader();
             RevWalk rw = new RevWalk(reader)) {
            DirCache index = DirCache.newInCore();
            if (parent != null) {
                DirCacheBuilder b = index.builder();
                b.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, rw.parseCommit(parent).getTree());
                b.finish();
            }
            DirCacheEditor editor = index.editor();
            for (Map.Entry<String, byte[]> e : change.entrySet()) {
                if (e.getValue() == null) {
                    editor.add(new DirCacheEditor.DeletePath(e.getKey()));
                    continue;
                }
                ObjectId blob = ins.insert(Constants.OBJ_BLOB, e.getValue());
                int length = e.getValue().length;
                editor.add(new DirCacheEditor.PathEdit(e.getKey()) {
                    @Override
                    public void apply(DirCacheEntry ent) {
                        ent.setFileMode(FileMode.REGULAR_FILE);
                        ent.setObjectId(blob);
                        ent.setLength(length);
                    }
                });
            }
            editor.finish();
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(index.writeTree(ins));
            if (parent != null) {
                c.setParentId(parent);
            }
            PersonIdent who = new PersonIdent(settings.author(), Instant.now(), java.time.ZoneOffset.UTC);
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("teeflow state: " + what + "\n");
            ObjectId commit = ins.insert(c);
            ins.flush();
            return commit;
        }
    }

    /**
     * Pushes {@code commit}: true when it is the branch's head, false when the branch moved meanwhile, null when
     * the push failed on the way and did not land (fetched again: try again). A push whose answer was lost but
     * which landed is recognised by the fetched head being this very commit, so it is never pushed twice.
     */
    private Boolean pushOrLanded(ObjectId commit, int attempt) throws IOException {
        try {
            return push(commit);
        } catch (TransientPushFailure e) {
            if (attempt >= Backoff.ATTEMPTS) {
                throw failure("push to", e.cause, attempt);
            }
            Backoff.pauseBefore(attempt + 1);
            refresh();
            return commit.equals(head) ? Boolean.TRUE : null;
        }
    }

    /** A push that failed on the way (its cause kept for the message), not one the remote answered. */
    private static final class TransientPushFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Exception cause;

        TransientPushFailure(Exception cause) {
            super(cause.getMessage(), null, false, false);
            this.cause = cause;
        }
    }

    /** Pushes {@code commit} as the branch's new head; false when the branch moved meanwhile. */
    private boolean push(ObjectId commit) throws IOException {
        String pushRef = "refs/teeflow/state-push";
        RefUpdate ru = cache.updateRef(pushRef);
        ru.setNewObjectId(commit);
        ru.disableRefLog();
        ru.forceUpdate();
        String target = Constants.R_HEADS + settings.branch();
        Iterable<PushResult> results;
        try (Git git = new Git(cache)) {
            results = access.apply(git.push().setRemote(settings.remote().url())
                    .setRefSpecs(new RefSpec(pushRef + ":" + target)).setTimeout(TIMEOUT_SECONDS)).call();
        } catch (Exception e) {
            if (isTransient(e)) {
                throw new TransientPushFailure(e);
            }
            throw GitErrors.failure(OWNER, settings.remote(), access, redactor, "push to", e, "state.remote");
        }
        return PushVerdict.accepted(results, target, OWNER + ": " + settings.remote().display(), settings.branch(),
                " the state branch must accept pushes from this token or key", redactor::redact);
    }

    /**
     * Reads come from the copy fetched by the first read, by taking the lock, or left by this backend's own
     * pushes: one fetch per command rather than one per key. While the lock is held no one else writes, so
     * the copy is the branch; without it (plan, state pull) it is the branch as of the first read.
     */
    private void refreshUnlessLocked() {
        if (!fetched) {
            refresh();
        }
    }

    /**
     * Fetches the branch into the cache; {@link #head} is null while the branch does not exist yet. A fetch is a
     * read: one that failed on the way is tried again ({@link Backoff}).
     */
    private void refresh() {
        for (int attempt = 1; ; attempt++) {
            try (Git git = new Git(cache)) {
                access.apply(git.fetch().setRemote(settings.remote().url())
                        .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + settings.branch() + ":" + trackingRef))
                        .setTimeout(TIMEOUT_SECONDS)).call();
                head = cache.resolve(trackingRef);
                break;
            } catch (TransportException e) {
                if (String.valueOf(e.getMessage()).contains("available for fetch")) {
                    setTracking(null); // the branch is made by the first write
                    break;
                }
                if (!isTransient(e) || attempt == Backoff.ATTEMPTS) {
                    throw failure("fetch from", e, attempt);
                }
            } catch (Exception e) {
                if (!isTransient(e) || attempt == Backoff.ATTEMPTS) {
                    throw failure("fetch from", e, attempt);
                }
            }
            Backoff.pauseBefore(attempt + 1);
        }
        fetched = true;
    }

    private TeeflowException failure(String action, Exception e, int attempts) {
        TeeflowException f = GitErrors.failure(OWNER, settings.remote(), access, redactor, action, e, "state.remote");
        return attempts > 1 ? new TeeflowException(f.getMessage() + Backoff.attempts(attempts), f) : f;
    }

    /** A connection that failed on the way or a server's passing 5xx: worth another attempt, unlike an answer. */
    private boolean isTransient(Exception e) {
        if (access.refusal().isPresent()) {
            return false;
        }
        if (Backoff.isConnectionFailure(e)) {
            return true;
        }
        String all = GitErrors.chainMessages(e).toLowerCase().replaceAll("\\S+://\\S+", "<url>");
        return all.contains("connection reset") || all.contains("connection refused") || all.contains("unexpected end of file")
                || all.contains("premature eof") || all.contains("end of stream") || all.contains("broken pipe")
                || all.contains("timed out") || all.matches("(?s).*\\b50[0234]\\b.*") || all.contains("bad gateway")
                || all.contains("service unavailable") || all.contains("gateway timeout");
    }

    private void setTracking(ObjectId commit) {
        try {
            RefUpdate ru = cache.updateRef(trackingRef);
            if (commit == null) {
                ru.setForceUpdate(true);
                if (cache.resolve(trackingRef) != null) {
                    ru.delete();
                }
            } else {
                ru.setNewObjectId(commit);
                ru.disableRefLog();
                ru.forceUpdate();
            }
        } catch (IOException e) {
            throw cacheFailure(e);
        }
        head = commit;
    }

    private ObjectId blobAt(ObjectId commit, String path) throws IOException {
        if (commit == null) {
            return null;
        }
        try (RevWalk rw = new RevWalk(cache); TreeWalk tw = TreeWalk.forPath(cache, path, rw.parseCommit(commit).getTree())) {
            return tw == null || tw.getFileMode(0) != FileMode.REGULAR_FILE ? null : tw.getObjectId(0);
        }
    }

    private byte[] read(ObjectId blob) {
        try {
            return cache.open(blob).getBytes();
        } catch (IOException e) {
            throw cacheFailure(e);
        }
    }

    private String file(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("..") || key.startsWith(".") || key.equals(LOCK)) {
            throw new IllegalArgumentException("bad state key '" + key + "'");
        }
        return settings.path() + key;
    }

    private TeeflowException cacheFailure(IOException e) {
        return new TeeflowException("the git state cache " + cache.getDirectory() + " is damaged (" + e.getMessage()
                + "); delete it and run again (it is fetched anew)", e);
    }

    @Override
    public synchronized void close() {
        access.close();
        cache.close();
    }

    @Override
    public String toString() {
        return "git state " + location();
    }
}
