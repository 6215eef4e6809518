package dev.teeflow.actions.dataset;

/**
 * Where published bytes go: a path that carries the ciphertext's checksum, so new bytes always land at a new
 * path and never replace bytes that a deployed dataset points at (its on-chain checksum would no longer match).
 *
 * <p>{@code {checksum}} in a path is replaced by the first 16 hex digits of the checksum; a path without it
 * gets them before the file name's last extension ({@code emails.xlsx.enc -> emails.xlsx.0123456789abcdef.enc}).
 */
final class ContentAddressedPath {
    static final String PLACEHOLDER = "{checksum}";
    static final int HEX_DIGITS = 16;

    private ContentAddressedPath() {
    }

    /** The content-addressed form of {@code path} for bytes with this {@code 0x...} checksum. */
    static String of(String path, String checksum) {
        String hex = shortHex(checksum);
        if (path.contains(PLACEHOLDER)) {
            return path.replace(PLACEHOLDER, hex);
        }
        int slash = path.lastIndexOf('/');
        String name = path.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        String named = dot > 0 ? name.substring(0, dot) + "." + hex + name.substring(dot) : name + "." + hex;
        return path.substring(0, slash + 1) + named;
    }

    /** An upload URL: only {@code {checksum}} is replaced, as teeflow cannot know how the server maps URLs to files. */
    static String of(String url, String checksum, boolean placeholderOnly) {
        return placeholderOnly ? url.replace(PLACEHOLDER, shortHex(checksum)) : of(url, checksum);
    }

    /** Whether {@code path} names the place itself ({@code {checksum}}) rather than leaving it to teeflow. */
    static boolean placed(String path) {
        return path.contains(PLACEHOLDER);
    }

    static String shortHex(String checksum) {
        String hex = checksum.startsWith("0x") ? checksum.substring(2) : checksum;
        return hex.substring(0, Math.min(HEX_DIGITS, hex.length()));
    }
}
