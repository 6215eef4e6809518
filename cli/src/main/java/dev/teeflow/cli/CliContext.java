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

    CliContext(Map<String, String> env, Redactor redactor, Terminal terminal) {
        this(env, redactor, terminal, null);
    }

    CliContext(Map<String, String> env, Redactor redactor, Terminal terminal, GitHubMode github) {
        this.env = env;
        this.redactor = redactor;
        this.terminal = terminal;
        this.github = github;
    }
}
