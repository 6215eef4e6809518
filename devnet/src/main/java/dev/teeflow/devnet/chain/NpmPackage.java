package dev.teeflow.devnet.chain;

/**
 * One pinned npm package.
 *
 * @param name      the package name, e.g. {@code @iexec/poco}
 * @param version   the exact version
 * @param integrity npm's {@code dist.integrity} (sha512-base64) of the tarball: checked before use
 * @param size      the tarball size in bytes (for progress only)
 */
public record NpmPackage(String name, String version, String integrity, long size) {
    public String spec() {
        return name + "@" + version;
    }

    /** The file name {@code npm pack} writes: scope without '@', '/' turned into '-'. */
    public String tarballName() {
        return name.replace("@", "").replace('/', '-') + "-" + version + ".tgz";
    }

    /** A directory name for the extracted package in the cache. */
    public String directoryName() {
        return name.replace("@", "").replace('/', '+') + "@" + version;
    }
}
