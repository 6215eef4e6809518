package dev.teeflow.devnet.chain;

import dev.teeflow.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Fetches pinned npm packages with {@code npm pack} (never {@code npm install}: PoCo's git dependencies
 * break it), checks each tarball against its recorded sha512 integrity and unpacks it into the cache.
 * Once unpacked, a package is used offline.
 */
public final class NpmInstaller {
    private final Path root;
    private final Consumer<String> progress;

    /** @param cacheDir the teeflow cache ({@link CacheDir#resolve()}); packages go under {@code npm/} */
    public NpmInstaller(Path cacheDir, Consumer<String> progress) {
        this.root = cacheDir.resolve("npm");
        this.progress = progress;
    }

    /** Returns the unpacked {@code package/} directory, fetching and checking the tarball on first use. */
    @SuppressWarnings("try") // the lock is held for the block, never referenced
    public Path install(NpmPackage pkg) {
        Path home = root.resolve(pkg.directoryName());
        Path marker = home.resolve(".integrity");
        Path packageDir = home.resolve("package");
        try {
            Files.createDirectories(root);
            if (isInstalled(marker, pkg)) {
                return packageDir;
            }
            try (FileChannel lockFile = FileChannel.open(root.resolve(".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                if (isInstalled(marker, pkg)) { // another process finished it while we waited
                    return packageDir;
                }
                Path tarball = fetchChecked(pkg);
                unpack(tarball, home);
                AtomicFiles.write(marker, pkg.integrity().getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
                return packageDir;
            }
        } catch (IOException e) {
            throw new DevChainException("cannot install " + pkg.spec() + " into " + root + ": " + e.getMessage(), e);
        }
    }

    private static boolean isInstalled(Path marker, NpmPackage pkg) throws IOException {
        return Files.isRegularFile(marker) && Files.readString(marker).strip().equals(pkg.integrity());
    }

    private Path fetchChecked(NpmPackage pkg) throws IOException {
        Path tarballs = Files.createDirectories(root.resolve("tarballs"));
        Path tarball = tarballs.resolve(pkg.tarballName());
        if (Files.isRegularFile(tarball) && integrityOf(tarball).equals(pkg.integrity())) {
            return tarball;
        }
        Path download = Files.createTempDirectory(root, "pack-");
        try {
            npmPack(pkg, download);
            Path packed = download.resolve(pkg.tarballName());
            if (!Files.isRegularFile(packed)) {
                throw new DevChainException("npm pack " + pkg.spec() + " did not write " + pkg.tarballName()
                        + " into " + download);
            }
            String actual = integrityOf(packed);
            if (!actual.equals(pkg.integrity())) {
                throw new DevChainException("integrity mismatch for " + pkg.spec() + ": expected " + pkg.integrity()
                        + " but the downloaded tarball has " + actual + "; it was discarded. The registry served"
                        + " different bytes than the pinned release: check your npm registry/proxy settings");
            }
            AtomicFiles.move(packed, tarball);
            return tarball;
        } finally {
            deleteTree(download);
        }
    }

    private void npmPack(NpmPackage pkg, Path destination) throws IOException {
        List<String> command = List.of("npm", "pack", pkg.spec(), "--pack-destination", destination.toString(),
                "--prefer-offline", "--silent", "--no-fund", "--no-audit");
        Path log = destination.resolve("npm-pack.log");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new DevChainException("cannot run npm to fetch " + pkg.spec() + ": " + e.getMessage()
                    + ". Install Node.js 20+ with npm, or put an already unpacked cache in $" + CacheDir.ENV, e);
        }
        long start = System.nanoTime();
        String size = String.format("%.1f MB", pkg.size() / 1e6);
        progress.accept("downloading " + pkg.spec() + " (" + size + ") from the npm registry");
        try {
            while (!process.waitFor(1, TimeUnit.SECONDS)) {
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                progress.accept("downloading " + pkg.spec() + " (" + size + ")... " + seconds + " s");
                if (seconds > 600) {
                    process.destroyForcibly();
                    throw new DevChainException("npm pack " + pkg.spec() + " did not finish within 10 minutes");
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DevChainException("interrupted while downloading " + pkg.spec(), e);
        }
        if (process.exitValue() != 0) {
            throw new DevChainException("npm pack " + pkg.spec() + " failed (exit " + process.exitValue() + "): "
                    + tail(log) + ". Check access to the npm registry (npm config get registry)");
        }
        progress.accept("downloaded " + pkg.spec() + " in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    }

    private void unpack(Path tarball, Path home) throws IOException {
        Path staging = Files.createTempDirectory(root, "unpack-");
        try {
            Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", staging.toString())
                    .redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (tar.waitFor() != 0) {
                throw new DevChainException("cannot unpack " + tarball + ": " + output.strip());
            }
            deleteTree(home);
            moveAtomically(staging, home);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevChainException("interrupted while unpacking " + tarball, e);
        } finally {
            deleteTree(staging);
        }
    }

    /** npm's integrity string: "sha512-" + base64(sha512(tarball)). */
    static String integrityOf(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha512.update(buffer, 0, n);
            }
            return "sha512-" + Base64.getEncoder().encodeToString(sha512.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())).strip();
        } catch (IOException e) {
            return "(no output)";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
