package dev.teeflow.protocol.workerpool;

/** What the app printed on one worker ({@code stdout}, {@code stderr}: empty strings when it printed nothing). */
public record ComputeLogs(String worker, String stdout, String stderr) {
}
