package dev.teeflow.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action's choice (github/install.sh): a version tag installs the matching release archive from the
 * releases server (here on loopback), checksum verified; a commit or a local checkout builds from source.
 */
class ActionInstallTest {
    static final String VERSION = "9.8.7";
    static final String REPOSITORY = "someone/teeflow";

    @TempDir
    Path tmp;
    ReleaseServer releases;
    Path toolCache;
    Path outputFile;
    String stdout;

    @BeforeEach
    void publishAFakeRelease() throws Exception {
        Path release = Files.createDirectories(tmp.resolve("releases/v" + VERSION));
        Path bin = Files.createDirectories(tmp.resolve("staging/teeflow-" + VERSION + "/bin"));
        Files.writeString(bin.resolve("teeflow"), "#!/bin/sh\necho \"teeflow " + VERSION + " (release) $*\"\n");
        bin.resolve("teeflow").toFile().setExecutable(true);
        run(List.of("tar", "-czf", release.resolve("teeflow-" + VERSION + ".tar.gz").toString(), "-C", tmp.resolve("staging").toString(),
                "teeflow-" + VERSION), Map.of());
        writeChecksums(release);
        releases = new ReleaseServer(tmp.resolve("releases"), REPOSITORY);
        toolCache = tmp.resolve("tool-cache");
        outputFile = Files.createFile(tmp.resolve("github_output"));
    }

    @AfterEach
    void stop() {
        releases.close();
    }

    void writeChecksums(Path release) throws Exception {
        Path archive = release.resolve("teeflow-" + VERSION + ".tar.gz");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(archive)));
        Files.writeString(release.resolve("teeflow-" + VERSION + ".sha256"), "0".repeat(64) + "  teeflow-" + VERSION + ".zip\n"
                + sha + "  teeflow-" + VERSION + ".tar.gz\n");
    }

    int install(String ref) throws Exception {
        Map<String, String> env = new TreeMap<>();
        env.put("TEEFLOW_ACTION_REF", ref);
        env.put("TEEFLOW_ACTION_REPOSITORY", REPOSITORY);
        env.put("GITHUB_SERVER_URL", releases.url());
        env.put("GITHUB_OUTPUT", outputFile.toString());
        env.put("RUNNER_TOOL_CACHE", toolCache.toString());
        Files.writeString(outputFile, "");
        return run(List.of("bash", HostFakes.REPO.resolve("github/install.sh").toString()), env);
    }

    int run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(tmp.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("GITHUB_") || k.startsWith("TEEFLOW_") || k.startsWith("RUNNER_"));
        pb.environment().put("HOME", tmp.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    String output() throws Exception {
        return Files.readString(outputFile);
    }

    @Test
    void aVersionTagRunsTheReleaseArchive() throws Exception {
        assertThat(install("v" + VERSION)).as(stdout).isZero();

        Path launcher = toolCache.resolve("teeflow/teeflow-" + VERSION + "/bin/teeflow");
        assertThat(output()).isEqualTo("from-release=true\nlauncher=" + launcher + "\n");
        assertThat(releases.requests).contains("/" + REPOSITORY + "/releases/download/v" + VERSION + "/teeflow-" + VERSION + ".tar.gz");

        // the action's run step gets that launcher through TEEFLOW_BIN
        Files.writeString(outputFile, "");
        int status = run(List.of("bash", HostFakes.REPO.resolve("github/run.sh").toString()),
                Map.of("TEEFLOW_BIN", launcher.toString(), "TEEFLOW_COMMAND", "validate", "GITHUB_OUTPUT", outputFile.toString()));
        assertThat(status).as(stdout).isZero();
        assertThat(stdout).contains("teeflow " + VERSION + " (release) validate --no-color");
    }

    @Test
    void anInstalledReleaseIsReusedAfterCheckingItsChecksumFile() throws Exception {
        assertThat(install("v" + VERSION)).as(stdout).isZero();
        releases.requests.clear();

        assertThat(install("v" + VERSION)).as(stdout).isZero();

        assertThat(output()).startsWith("from-release=true\n");
        assertThat(releases.requests).containsExactly("/" + REPOSITORY + "/releases/download/v" + VERSION + "/teeflow-" + VERSION + ".sha256");
    }

    @Test
    void aCommitOrALocalCheckoutBuildsFromSourceWithoutAsking() throws Exception {
        assertThat(install("0123456789abcdef0123456789abcdef01234567")).as(stdout).isZero();
        assertThat(output()).isEqualTo("from-release=false\nlauncher=\n");
        assertThat(install("")).as(stdout).isZero();
        assertThat(output()).isEqualTo("from-release=false\nlauncher=\n");
        assertThat(install("main")).as(stdout).isZero();
        assertThat(output()).isEqualTo("from-release=false\nlauncher=\n");

        assertThat(releases.requests).isEmpty();
        assertThat(toolCache).doesNotExist();
    }

    @Test
    void aTagWithoutAReleaseBuildsFromSourceWithAWarning() throws Exception {
        assertThat(install("v1.0.0")).as(stdout).isZero();

        assertThat(output()).isEqualTo("from-release=false\nlauncher=\n");
        assertThat(stdout).contains("::warning title=teeflow action::tag v1.0.0 has no release archive");
    }

    @Test
    void anArchiveThatDoesNotMatchItsChecksumIsNeverUnpacked() throws Exception {
        Path archive = tmp.resolve("releases/v" + VERSION + "/teeflow-" + VERSION + ".tar.gz");
        byte[] bytes = Files.readAllBytes(archive);
        bytes[bytes.length / 2] ^= 1;
        Files.write(archive, bytes);

        assertThat(install("v" + VERSION)).isEqualTo(1);

        assertThat(stdout).contains("does not match", "::error title=teeflow action::could not install teeflow " + VERSION);
        assertThat(output()).doesNotContain("from-release=true");
        assertThat(toolCache.resolve("teeflow/teeflow-" + VERSION)).doesNotExist();
    }
}
