package dev.teeflow.actions.dataset;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The direct download URL of a file in a git repository, from a pattern with {@code {host}},
 * {@code {owner}}, {@code {repo}}, {@code {branch}}, {@code {path}} and {@code {commit}}. GitHub and
 * GitLab are built in; any other host needs a pattern ({@code url:}).
 */
final class RawUrlTemplate {
    static final String GITHUB = "https://github.com/{owner}/{repo}/raw/{branch}/{path}";
    static final String GITLAB = "https://gitlab.com/{owner}/{repo}/-/raw/{branch}/{path}";

    private RawUrlTemplate() {
    }

    /** The built-in pattern for the remote's host, if any. */
    static Optional<String> builtIn(GitRemote remote) {
        return switch (remote.host()) {
            case "github.com" -> Optional.of(GITHUB);
            case "gitlab.com" -> Optional.of(GITLAB);
            default -> Optional.empty();
        };
    }

    static String missingPatternMessage(GitRemote remote) {
        String host = remote.host().isEmpty() ? "this remote" : "host '" + remote.host() + "'";
        return "teeflow knows the download URL pattern of github.com and gitlab.com only; for " + host
                + " set 'url:' to a pattern such as 'https://" + (remote.host().isEmpty() ? "host" : remote.host())
                + "/{owner}/{repo}/raw/{branch}/{path}'";
    }

    static String render(String pattern, GitRemote remote, String branch, String path, String commit) {
        return pattern.replace("{host}", remote.host())
                .replace("{owner}", remote.owner())
                .replace("{repo}", remote.repo())
                .replace("{branch}", encodePath(branch))
                .replace("{path}", encodePath(path))
                .replace("{commit}", commit == null ? "" : commit);
    }

    /** Percent-encodes each segment of a '/'-separated path as a URL path needs it. */
    static String encodePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~/!$&'()*+,;=:@".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }
}
