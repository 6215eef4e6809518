package dev.teeflow.cli;

import dev.teeflow.cli.github.GitHubMode;
import dev.teeflow.engine.secret.Redactor;
import java.util.Map;

/** What every command shares: the environment, the output mask and the terminal. */
final class CliContext {
    final Map<String, String> env;
    final Redactor redactor;
    final Terminal terminal;
    /** Non-null when running as a GitHub Actions step. */
    final GitHubMode github;
    /** Opened by a command, closed when it ends (a state backend's connection). */
    final java.util.List<AutoCloseable> closeAtEnd = new java.util.concurrent.CopyOnWriteArrayList<>();

    CliContext(Map<String, String> env, Redactor redactor, Terminal terminal) {
        this(env, redactor, terminal, null);
    }

    CliContext(Map<String, String> env, Redactor redactor, Terminal terminal, GitHubMode github) {
        this.env = env;
        this.redactor = redactor;
        this.terminal = terminal;
        this.github = github;
    }

    /** Closes what the command opened, newest first; a failure to close hides nothing of the result. */
    void closeAll() {
        for (int i = closeAtEnd.size() - 1; i >= 0; i--) {
            try {
                closeAtEnd.get(i).close();
            } catch (Exception ignored) {
                // the command's own result is what matters
            }
        }
        closeAtEnd.clear();
    }
}
