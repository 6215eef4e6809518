package dev.teeflow.devnet.git;

import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;

import dev.teeflow.devnet.sms.PortInUseException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The devnet's git host: smart HTTP (JGit's GitServlet on embedded Jetty) on 127.0.0.1 with bare repositories
 * created on first use under {@code <dataDir>/<owner>/<repo>.git}, and GitHub-style raw download URLs
 * {@code http://127.0.0.1:<port>/<owner>/<repo>/raw/<branch>/<path>} for published datasets.
 * Clone/push URL: {@code http://127.0.0.1:<port>/<owner>/<repo>.git}. When credentials are configured, pushes
 * need HTTP basic auth; reads stay public, like a public GitHub repository.
 */
public final class GitHostServer implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    static final Pattern RAW = Pattern.compile("^/([^/]+)/([^/]+)/raw/([^/]+)/(.+)$");

    private final Server jetty;
    private final Path root;

    private GitHostServer(Server jetty, Path root) {
        this.jetty = jetty;
        this.root = root;
    }

    /** Starts without push authentication. */
    public static GitHostServer start(Path dataDir, int port) {
        return start(dataDir, port, null, null);
    }

    /**
     * Starts on 127.0.0.1:port (0 = any). username/password null = pushes are open.
     *
     * @throws PortInUseException when the port is taken
     */
    public static GitHostServer start(Path dataDir, int port, String username, String password) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the git host directory " + dataDir + ": " + e.getMessage(), e);
        }
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("devnet-git");
        threads.setDaemon(true);
        Server jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        jetty.addConnector(connector);

        GitServlet git = new GitServlet();
        git.setRepositoryResolver((req, name) -> openOrCreate(dataDir, name));
        git.setReceivePackFactory((req, db) -> new ReceivePack(db));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(git), "/*");
        context.addFilter(new FilterHolder(new RawFilter(dataDir)), "/*", EnumSet.of(DispatcherType.REQUEST));
        if (username != null) {
            context.addFilter(new FilterHolder(new PushAuthFilter(username, password)), "/*",
                    EnumSet.of(DispatcherType.REQUEST));
        }
        jetty.setHandler(context);
        try {
            jetty.start();
        } catch (Exception e) {
            stopQuietly(jetty);
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException) {
                    throw new PortInUseException("git host", port, e);
                }
            }
            throw new IllegalStateException("the devnet git host cannot start on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        return new GitHostServer(jetty, dataDir);
    }

    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** {@code http://127.0.0.1:<port>/<owner>/<repo>.git}. */
    public URI repositoryUrl(String owner, String repo) {
        return URI.create(url() + "/" + owner + "/" + repo + ".git");
    }

    /** {@code http://127.0.0.1:<port>/<owner>/<repo>/raw/<branch>/<path>}. */
    public URI rawUrl(String owner, String repo, String branch, String path) {
        return URI.create(url() + "/" + owner + "/" + repo + "/raw/" + branch + "/" + path);
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        stopQuietly(jetty);
    }

    private static void stopQuietly(Server jetty) {
        try {
            jetty.stop();
        } catch (Exception e) {
            // stopping is best effort: nothing else to release
        }
    }

    /** Resolves "owner/repo(.git)" to a bare repository, creating it when missing. */
    static Repository openOrCreate(Path root, String name) throws RepositoryNotFoundException {
        Path dir = repoDir(root, name);
        if (dir == null) {
            throw new RepositoryNotFoundException(name);
        }
        try {
            synchronized (GitHostServer.class) {
                if (!Files.exists(dir.resolve("HEAD"))) {
                    try (Git created = Git.init().setBare(true).setInitialBranch("main").setDirectory(dir.toFile()).call()) {
                        created.getRepository().getConfig().save();
                    }
                }
            }
            return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
        } catch (IOException | GitAPIException e) {
            throw new RepositoryNotFoundException(name, e);
        }
    }

    /** owner/repo or owner/repo.git to its directory, or null for names that could escape the root. */
    static Path repoDir(Path root, String name) {
        String[] parts = name.replaceAll("^/+|/+$", "").split("/");
        if (parts.length != 2) {
            return null;
        }
        String repo = parts[1].endsWith(".git") ? parts[1].substring(0, parts[1].length() - 4) : parts[1];
        if (!NAME.matcher(parts[0]).matches() || !NAME.matcher(repo).matches()
                || parts[0].startsWith(".") || repo.startsWith(".") || repo.isEmpty()) {
            return null;
        }
        return root.resolve(parts[0]).resolve(repo + ".git");
    }

    /** Basic auth for pushes (git-receive-pack), the only write. */
    private record PushAuthFilter(String username, String password) implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest req = (HttpServletRequest) request;
            boolean push = req.getRequestURI().endsWith("/git-receive-pack")
                    || "git-receive-pack".equals(req.getParameter("service"));
            if (push && !authorized(req.getHeader("Authorization"))) {
                HttpServletResponse res = (HttpServletResponse) response;
                res.setHeader("WWW-Authenticate", "Basic realm=\"teeflow devnet git\"");
                res.sendError(401, "push needs the devnet git credentials");
                return;
            }
            chain.doFilter(request, response);
        }

        private boolean authorized(String header) {
            if (header == null || !header.startsWith("Basic ")) {
                return false;
            }
            String expected = username + ":" + (password == null ? "" : password);
            try {
                byte[] given = Base64.getDecoder().decode(header.substring(6).trim());
                return java.security.MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    /** Serves /owner/repo/raw/branch/path before the git servlet sees the request. */
    private record RawFilter(Path root) implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest req = (HttpServletRequest) request;
            Matcher m = RAW.matcher(req.getRequestURI());
            if (!m.matches() || !("GET".equals(req.getMethod()) || "HEAD".equals(req.getMethod()))) {
                chain.doFilter(request, response);
                return;
            }
            RawFiles.serve(root, m.group(1), m.group(2), m.group(3), m.group(4), req.getMethod().equals("HEAD"),
                    (HttpServletResponse) response);
        }
    }
}
