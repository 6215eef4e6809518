package dev.teeflow.actions.dataset;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A real git host on 127.0.0.1 for tests: JGit's GitServlet (smart HTTP, fetch and push) behind HTTP
 * basic authentication on an embedded Jetty 12, plus raw downloads at
 * {@code /raw/<owner>/<repo>/<branch>/<path>} like GitHub's.
 */
final class GitHttpTestServer implements AutoCloseable {
    final Path root;
    private final Server server;
    private final String expectedAuth;
    /** Runs once before the next push is advertised, to move the remote under the client's feet. */
    final AtomicReference<Runnable> beforeNextPush = new AtomicReference<>();
    /** The server's pre-receive hook (refuses pushes when it rejects their commands); null = none. */
    final AtomicReference<org.eclipse.jgit.transport.PreReceiveHook> preReceive = new AtomicReference<>();

    GitHttpTestServer(Path root, String user, String password) throws Exception {
        this.root = root;
        this.expectedAuth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        GitServlet git = new GitServlet();
        git.setRepositoryResolver((req, name) -> {
            Path dir = root.resolve(name).normalize();
            if (!dir.startsWith(root) || !Files.isDirectory(dir)) {
                throw new RepositoryNotFoundException(name);
            }
            try {
                return new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
            } catch (IOException e) {
                throw new RepositoryNotFoundException(name, e);
            }
        });
        git.setReceivePackFactory((req, db) -> {
            ReceivePack rp = new ReceivePack(db);
            org.eclipse.jgit.transport.PreReceiveHook hook = preReceive.get();
            if (hook != null) {
                rp.setPreReceiveHook(hook);
            }
            return rp;
        });
        context.addServlet(new ServletHolder(git), "/*");
        context.addServlet(new ServletHolder(new RawServlet()), "/raw/*");
        context.addFilter(new FilterHolder(authFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
    }

    int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    String remote(String ownerRepo) {
        return "http://127.0.0.1:" + port() + "/" + ownerRepo + ".git";
    }

    String rawPattern() {
        return "http://127.0.0.1:" + port() + "/raw/{owner}/{repo}/{branch}/{path}";
    }

    /** An empty bare repository {@code <owner>/<repo>.git} whose default branch is main. */
    Repository createRepo(String ownerRepo) throws Exception {
        Path dir = root.resolve(ownerRepo + ".git");
        Git.init().setBare(true).setDirectory(dir.toFile()).setInitialBranch("main").call().close();
        return new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
    }

    private Filter authFilter() {
        return (request, response, chain) -> {
            HttpServletRequest req = (HttpServletRequest) request;
            HttpServletResponse resp = (HttpServletResponse) response;
            boolean raw = req.getRequestURI().startsWith("/raw/");
            if (!raw && !expectedAuth.equals(req.getHeader("Authorization"))) {
                resp.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
                resp.sendError(401);
                return;
            }
            if ("git-receive-pack".equals(req.getParameter("service"))) {
                Runnable hook = beforeNextPush.getAndSet(null);
                if (hook != null) {
                    hook.run();
                }
            }
            chain.doFilter(request, response);
        };
    }

    /** GitHub-style raw download of a file on a branch; public, like a public repository's. */
    private final class RawServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String[] parts = req.getPathInfo().substring(1).split("/", 4);
            if (parts.length < 4) {
                resp.sendError(404);
                return;
            }
            Path dir = root.resolve(parts[0]).resolve(parts[1] + ".git");
            if (!Files.isDirectory(dir)) {
                resp.sendError(404);
                return;
            }
            try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build()) {
                ObjectId head = repo.resolve("refs/heads/" + parts[2]);
                if (head == null) {
                    resp.sendError(404);
                    return;
                }
                try (RevWalk rw = new RevWalk(repo); TreeWalk tw = TreeWalk.forPath(repo, parts[3], rw.parseCommit(head).getTree())) {
                    if (tw == null) {
                        resp.sendError(404);
                        return;
                    }
                    ObjectLoader blob = repo.open(tw.getObjectId(0));
                    resp.setContentType("application/octet-stream");
                    resp.setContentLengthLong(blob.getSize());
                    blob.copyTo(resp.getOutputStream());
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
