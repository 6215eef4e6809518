package dev.teeflow.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive this build made, used as a user would: unpacked into an empty folder and run with only a
 * JDK (no Maven, no source tree, a PATH without java or mvn), on examples/hello copied out of the repository.
 */
class DistributionArchiveIT {
    static final Path TARGET = Path.of(System.getProperty("teeflow.dist.dir", "target"));
    static final String VERSION = System.getProperty("teeflow.version");
    static final String NAME = "teeflow-" + VERSION;

    @TempDir
    static Path tmp;
    static Path install;
    static Path tools;

    String output;

    @BeforeAll
    static void unpack() throws Exception {
        install = Files.createDirectories(tmp.resolve("opt"));
        Process tar = new ProcessBuilder("tar", "-xzf", TARGET.resolve(NAME + ".tar.gz").toString(), "-C", install.toString())
                .inheritIO().start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).isZero();
        // A PATH with what a pipeline's shell commands use, and neither java nor mvn on it.
        tools = Files.createDirectories(tmp.resolve("tools"));
        for (String tool : List.of("bash", "sh", "env", "awk", "cat", "cksum", "cut", "dirname", "readlink", "ls", "mkdir", "mv", "rm", "tr", "wc")) {
            HostFakes.addRealTool(tools, tool);
        }
    }

    int teeflow(Path dir, Map<String, String> extraEnv, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(install.resolve(NAME + "/bin/teeflow").toString()));
        Collections.addAll(command, args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", tools.toString());
        pb.environment().put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // one-off machine: the start-up cache's training run would cost more than it saves here
        pb.environment().put("TEEFLOW_STARTUP_CACHE", "off");
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void checksumFileListsBothArchives() throws Exception {
        List<String> lines = Files.readAllLines(TARGET.resolve(NAME + ".sha256"));
        assertThat(lines).containsExactlyInAnyOrder(sha256(TARGET.resolve(NAME + ".zip")) + "  " + NAME + ".zip",
                sha256(TARGET.resolve(NAME + ".tar.gz")) + "  " + NAME + ".tar.gz");
    }

    @Test
    void zipAndTarballHoldTheLauncherTheJarsAndTheLicences() throws Exception {
        Path home = install.resolve(NAME);
        assertThat(home.resolve("bin/teeflow")).isExecutable();
        assertThat(home.resolve("lib/teeflow.jar")).isRegularFile();
        assertThat(home.resolve("LICENSES/THIRD-PARTY.txt")).content().contains("picocli", "Apache");
        assertThat(home.resolve("LICENSES/LICENSE")).content().contains("Apache License", "Version 2.0");
        try (ZipFile zip = new ZipFile(TARGET.resolve(NAME + ".zip").toFile())) {
            assertThat(zip.getEntry(NAME + "/bin/teeflow")).isNotNull();
            assertThat(zip.getEntry(NAME + "/lib/teeflow.jar")).isNotNull();
            try (var jars = Files.list(home.resolve("lib"))) {
                assertThat(jars).allSatisfy(jar -> assertThat(zip.getEntry(NAME + "/lib/" + jar.getFileName())).as(jar.toString()).isNotNull());
            }
        }
    }

    @Test
    void versionAndHelloFromAnEmptyFolderWithOnlyAJdk() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        assertThat(teeflow(project, Map.of(), "--version")).as(output).isZero();
        assertThat(output).startsWith("teeflow " + VERSION + "\n").contains("Java ");

        Path hello = HostFakes.REPO.resolve("examples/hello");
        Files.copy(hello.resolve("teeflow.yml"), project.resolve("teeflow.yml"));
        Files.createDirectories(project.resolve("src"));
        Files.copy(hello.resolve("src/words.txt"), project.resolve("src/words.txt"));

        assertThat(teeflow(project, Map.of(), "apply", "--no-color")).as(output).isZero();
        assertThat(output).contains("Apply complete: 4 done, 0 up-to-date, 0 failed");
        String words = Files.readString(project.resolve("src/words.txt")).trim();
        assertThat(project.resolve("build/index.html")).hasContent("<h1>Hello, " + words.toUpperCase()
                + " (" + words.split("\\s+").length + " words)</h1>");

        assertThat(teeflow(project, Map.of(), "plan", "--no-color")).as(output).isZero();
        assertThat(output).contains("Nothing to do");
    }

    @Test
    void runsWithoutAWritableCache() throws Exception {
        Path notAFolder = Files.writeString(tmp.resolve("not-a-folder"), "");

        assertThat(teeflow(tmp, Map.of("XDG_CACHE_HOME", notAFolder.resolve("cache").toString(),
                "TEEFLOW_STARTUP_CACHE", "on"), "--version")).as(output).isZero();
        assertThat(output).startsWith("teeflow " + VERSION + "\n");
    }

    @Test
    void anOlderJavaIsRefusedByName() throws Exception {
        Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        assumeTrue(Files.isExecutable(java17), "no JDK 17 on this machine");
        Map<String, String> env = new TreeMap<>(Map.of("TEEFLOW_JAVA", java17.toString()));

        assertThat(teeflow(tmp, env, "--version")).isEqualTo(2);
        assertThat(output).contains("is not Java 21 or newer");
    }

    @Test
    void jgitShipsWithoutItsSignatureSoTheStartUpCacheCanHoldIt() throws Exception {
        try (var jars = Files.list(install.resolve(NAME + "/lib"))) {
            List<Path> jgit = jars.filter(j -> j.getFileName().toString().startsWith("org.eclipse.jgit")).toList();
            assertThat(jgit).isNotEmpty();
            for (Path jar : jgit) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    assertThat(zip.stream().map(e -> e.getName()))
                            .as(jar.toString()).noneMatch(n -> n.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)"))
                            .contains("org/eclipse/jgit/");
                }
            }
        }
    }

    @Test
    void commandsOverAGitOrS3StateStartWithThatBackendsOwnStartUpCache() throws Exception {
        // A stand-in for java that says it is 25 and writes down what the launcher asks of it.
        Path java = Files.createDirectories(tmp.resolve("fake-jdk/bin")).resolve("java");
        Files.writeString(java, """
                #!/usr/bin/env bash
                for a in "$@"; do
                  case "$a" in
                    -XshowSettings:properties) echo "    java.specification.version = 25" >&2; exit 0 ;;
                    -XX:AOTCacheOutput=*) echo cache > "${a#-XX:AOTCacheOutput=}"; echo "train ${*: -1}" >> "$JAVA_LOG"; exit 0 ;;
                  esac
                done
                for a in "$@"; do case "$a" in -XX:AOTCache=*) echo "run ${a##*/}" >> "$JAVA_LOG" ;; esac; done
                """);
        assertThat(java.toFile().setExecutable(true)).isTrue();
        Path project = Files.createDirectories(tmp.resolve("remote-project"));
        Files.writeString(project.resolve("teeflow.yml"), "state:\n  backend: git\n  remote: https://example.org/x.git\n");
        Path log = tmp.resolve("java.log");
        Map<String, String> env = new TreeMap<>(Map.of("TEEFLOW_JAVA", java.toString(), "TEEFLOW_STARTUP_CACHE", "on",
                "JAVA_LOG", log.toString(), "XDG_CACHE_HOME", tmp.resolve("fake-cache").toString()));

        teeflow(project, env, "plan");
        teeflow(project, env, "plan");
        teeflow(tmp, env, "plan", "-f", project.resolve("teeflow.yml").toString(), "--state-backend", "local");
        teeflow(tmp, env, "state", "list", "--state-backend=postgres", "-f", project.resolve("teeflow.yml").toString());
        env.put("TEEFLOW_STATE_BACKEND", "s3");
        teeflow(tmp, env, "--version");

        assertThat(Files.readAllLines(log)).containsExactly(
                "train git", "run teeflow-git.aot", "run teeflow-git.aot",
                "train dev.teeflow.cli.StartupTraining", "run teeflow.aot",
                "train postgres", "run teeflow-postgres.aot",
                "train s3", "run teeflow-s3.aot");
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
