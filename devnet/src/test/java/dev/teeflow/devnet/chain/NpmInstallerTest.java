package dev.teeflow.devnet.chain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NpmInstallerTest {
    @TempDir
    Path cache;

    @Test
    void aTarballWithTheWrongIntegrityIsRefusedAndDiscarded() {
        // The real package, pinned with a wrong hash: npm serves the genuine bytes, the check must refuse them.
        NpmPackage tampered = new NpmPackage(PinnedPackages.RLC_FAUCET.name(), PinnedPackages.RLC_FAUCET.version(),
                "sha512-" + "A".repeat(86) + "==", PinnedPackages.RLC_FAUCET.size());
        NpmInstaller installer = new NpmInstaller(cache, line -> { });

        assertThatThrownBy(() -> installer.install(tampered))
                .isInstanceOf(DevChainException.class)
                .hasMessageContaining("integrity mismatch for rlc-faucet-contract@1.0.10")
                .hasMessageContaining(PinnedPackages.RLC_FAUCET.integrity());
        assertThat(cache.resolve("npm/tarballs/rlc-faucet-contract-1.0.10.tgz")).doesNotExist();
        assertThat(cache.resolve("npm/rlc-faucet-contract@1.0.10")).doesNotExist();
    }

    @Test
    void aPinnedPackageIsFetchedCheckedUnpackedAndThenUsedOffline() throws IOException {
        List<String> progress = new ArrayList<>();
        NpmInstaller installer = new NpmInstaller(cache, progress::add);

        Path dir = installer.install(PinnedPackages.RLC_FAUCET);

        assertThat(dir.resolve("build/contracts/RLC.json")).isRegularFile();
        assertThat(progress).anyMatch(l -> l.startsWith("downloading rlc-faucet-contract@1.0.10"));
        // Second install: the marker matches, nothing is fetched (no progress line, same directory).
        progress.clear();
        assertThat(installer.install(PinnedPackages.RLC_FAUCET)).isEqualTo(dir);
        assertThat(progress).isEmpty();
        // A damaged unpack (marker gone) is rebuilt from the checked tarball without npm.
        Files.delete(dir.getParent().resolve(".integrity"));
        assertThat(installer.install(PinnedPackages.RLC_FAUCET).resolve("build/contracts/RLC.json")).isRegularFile();
        assertThat(progress).isEmpty();
    }

    @Test
    void aPackageNpmCannotFindIsAClearError() {
        NpmPackage missing = new NpmPackage("teeflow-no-such-package-for-tests", "0.0.0", "sha512-x", 1);
        assertThatThrownBy(() -> new NpmInstaller(cache, line -> { }).install(missing))
                .isInstanceOf(DevChainException.class)
                .hasMessageContaining("npm pack teeflow-no-such-package-for-tests@0.0.0 failed");
    }

    @Test
    void theCacheDirectoryFollowsTeeflowCache() {
        assertThat(CacheDir.resolve(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.cache/teeflow"));
        assertThat(CacheDir.resolve(Map.of("TEEFLOW_CACHE", "/srv/tf"), "/home/u")).isEqualTo(Path.of("/srv/tf"));
    }
}
