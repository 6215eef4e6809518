package dev.teeflow.devnet.git;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

import jakarta.servlet.http.HttpServletResponse;

/** Raw file downloads: a blob at a branch (or commit id) and path, streamed as application/octet-stream. */
final class RawFiles {
    private RawFiles() {
    }

    static void serve(Path root, String owner, String repo, String rev, String rawPath, boolean headOnly,
            HttpServletResponse res) throws IOException {
        Path dir = GitHostServer.repoDir(root, owner + "/" + repo);
        String path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
        if (dir == null || !Files.exists(dir.resolve("HEAD")) || path.contains("..")) {
            res.sendError(404, "no such repository");
            return;
        }
        try (Repository db = new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
                RevWalk walk = new RevWalk(db)) {
            ObjectId commitId = db.resolve(rev.matches("[0-9a-fA-F]{40}") ? rev : "refs/heads/" + rev);
            if (commitId == null) {
                res.sendError(404, "no branch or commit '" + rev + "'");
                return;
            }
            RevCommit commit = walk.parseCommit(commitId);
            try (TreeWalk tw = TreeWalk.forPath(db, path, commit.getTree())) {
                if (tw == null || tw.isSubtree()) {
                    res.sendError(404, "no file '" + path + "' at " + rev);
                    return;
                }
                ObjectLoader blob = db.open(tw.getObjectId(0));
                res.setStatus(200);
                res.setContentType("application/octet-stream");
                res.setContentLengthLong(blob.getSize());
                if (!headOnly) {
                    try (OutputStream out = res.getOutputStream()) {
                        blob.copyTo(out);
                    }
                }
            }
        }
    }
}
