package dev.teeflow.actions.docker;

import java.util.List;
import java.util.Locale;

/** Turns what a failed docker build said into a message the user can act on. */
final class BuildFailure {
    private BuildFailure() {
    }

    static String explain(String address, String error, List<String> lastLines) {
        String e = error == null ? "build failed" : error.strip();
        String lower = e.toLowerCase(Locale.ROOT);
        String tail = lastLines.isEmpty() ? "" : "\nlast build output:\n  " + String.join("\n  ", lastLines);
        if (lower.contains("pull access denied") || lower.contains("manifest unknown")
                || lower.contains("registry-1.docker.io") || lower.contains("error pulling")
                || lower.contains("failed to resolve") || lower.contains("not found: manifest")
                || (lower.contains("no such image") && lower.contains("from"))
                || lower.contains("dial tcp") || lower.contains("no such host")) {
            return address + ": the base image cannot be pulled: " + e
                    + ". Build it locally (e.g. scripts/base-images.sh makes teeflow/python3:bookworm) or use a"
                    + " FROM image the engine has or can reach" + tail;
        }
        if (lower.contains("premature end") || lower.contains("connection reset") || lower.contains("broken pipe")
                || lower.contains("connection closed") || lower.contains("connection refused")
                || lower.contains("end of stream")) {
            return address + ": the Docker engine closed the connection before the build finished (did dockerd stop"
                    + " or restart?): " + e + ". Nothing was recorded; run again once `docker info` answers" + tail;
        }
        return address + ": docker build failed: " + e + tail;
    }
}
