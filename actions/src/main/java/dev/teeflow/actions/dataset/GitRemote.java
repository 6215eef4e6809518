package dev.teeflow.actions.dataset;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A git remote as written ({@code https://github.com/me/data.git}, {@code git@github.com:me/data.git},
 * {@code file:///srv/git/data.git}), split into host, owner and repository for download URLs, and
 * shown without any credentials embedded in it.
 */
public record GitRemote(String url, String host, String owner, String repo) {
    private static final Pattern SCP = Pattern.compile("^(?:[^@/]+@)?([^:/]+):(.+)$");

    public static GitRemote parse(String url) {
        String host = "";
        String path;
        if (url.contains("://")) {
            URI uri = URI.create(url);
            host = uri.getHost() == null ? "" : uri.getHost().toLowerCase();
            // An SSH port says nothing about where the web server answers, so it stays out of {host}.
            if (uri.getPort() > 0 && !host.isEmpty() && !isSshScheme(uri.getScheme())) {
                host = host + ":" + uri.getPort();
            }
            path = uri.getPath() == null ? "" : uri.getPath();
        } else {
            Matcher m = SCP.matcher(url);
            if (m.matches() && !url.startsWith("/")) {
                host = m.group(1).toLowerCase();
                path = m.group(2);
            } else {
                path = url;
            }
        }
        path = path.replaceAll("/+$", "").replaceAll("^/+", "");
        if (path.endsWith(".git")) {
            path = path.substring(0, path.length() - 4);
        }
        int slash = path.lastIndexOf('/');
        String owner = slash < 0 ? "" : path.substring(0, slash);
        String repo = slash < 0 ? path : path.substring(slash + 1);
        return new GitRemote(url, host, owner, repo);
    }

    /** Whether git reaches this remote over SSH: {@code ssh://...} or scp-like {@code user@host:path}. */
    public boolean isSsh() {
        if (url.contains("://")) {
            return isSshScheme(url.substring(0, url.indexOf("://")));
        }
        return !host.isEmpty();
    }

    private static boolean isSshScheme(String scheme) {
        String s = scheme == null ? "" : scheme.toLowerCase();
        return s.equals("ssh") || s.equals("git+ssh") || s.equals("ssh+git");
    }

    /** The URL with any {@code user:password@} replaced, for messages and logs. */
    public String display() {
        // An SSH user name (git@) is not a secret and tells which account the key must belong to.
        if (isSsh() && url.contains("://") && !url.substring(url.indexOf("://") + 3).split("[/@]")[0].contains(":")) {
            return url;
        }
        return withoutCredentials(url);
    }

    public static String withoutCredentials(String text) {
        return text == null ? null : text.replaceAll("(?<=://)[^/@\\s]+@", "***@");
    }
}
