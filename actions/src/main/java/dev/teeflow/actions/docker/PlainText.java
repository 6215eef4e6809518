package dev.teeflow.actions.docker;

import java.util.regex.Pattern;

/**
 * Tool output without terminal control sequences: Docker and the programs it runs colour their lines,
 * and those codes would reach piped logs and CI files as garbage. teeflow colours its own output itself.
 */
public final class PlainText {
    /** CSI sequences (colours, cursor moves) and OSC sequences (titles, links). */
    private static final Pattern CONTROL = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(\u0007|\u001B\\\\)|\u001B[@-Z\\\\-_]");

    private PlainText() {
    }

    public static String of(String line) {
        return line.indexOf('\u001B') < 0 ? line : CONTROL.matcher(line).replaceAll("");
    }
}
