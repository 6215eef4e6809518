package dev.teeflow.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A host made of fake commands (src/test/fakes) for running the set-up scripts: its PATH holds only the
 * chosen fakes and the few real tools the scripts use (bash, grep, tar, ...), so a script can neither
 * install anything nor reach the real Docker engine. The fakes log every call and read their state from
 * files (see src/test/fakes/README.md).
 */
final class HostFakes {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final Path FAKES = Path.of("src/test/fakes").toAbsolutePath();
    /** Real tools the scripts need besides the commands under test. */
    static final List<String> REAL_TOOLS = List.of("bash", "sh", "env", "grep", "id", "cat", "timeout", "mkdir", "rm",
            "mktemp", "tar", "cp", "ln", "chmod", "dirname", "flock", "seq", "sleep", "tail", "setsid", "nohup", "touch",
            "head", "sed", "tr", "mv", "cut", "awk", "ls");

    /** What a script did: its exit status, its output, and the commands it called. */
    record Run(int status, String output, List<String> calls) {
        /** The packages handed to apt-get install, in order. */
        List<String> installed() {
            return calls.stream().filter(c -> c.startsWith("apt-get ") && c.contains(" install "))
                    .flatMap(c -> Arrays.stream(c.split(" ")).skip(1).filter(w -> !w.startsWith("-") && !w.equals("install")))
                    .toList();
        }

        boolean called(String prefix) {
            return calls.stream().anyMatch(c -> c.startsWith(prefix));
        }
    }

    final Path root;
    final Path bin;
    final Path state;
    final Path log;
    final Map<String, String> env = new HashMap<>();

    HostFakes(Path root) throws IOException {
        this.root = root;
        bin = Files.createDirectories(root.resolve("bin"));
        state = Files.createDirectories(root.resolve("state"));
        log = root.resolve("calls.log");
        Files.createFile(log);
        for (String tool : REAL_TOOLS) {
            addRealTool(bin, tool);
        }
    }

    /** Puts the host's own tool into folder (a small script that runs it; a link would outlive JUnit's clean-up). */
    static void addRealTool(Path folder, String name) throws IOException {
        Path wrapper = folder.resolve(name);
        Files.writeString(wrapper, "#!/bin/sh\nexec '" + realTool(name) + "' \"$@\"\n");
        wrapper.toFile().setExecutable(true);
    }

    static Path realTool(String name) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("this host has no " + name);
    }

    /** Puts these fake commands on the PATH. */
    HostFakes commands(String... names) throws IOException {
        for (String name : names) {
            Files.copy(FAKES.resolve(name), bin.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            bin.resolve(name).toFile().setExecutable(true);
        }
        return this;
    }

    /** Commands that only need to be there (the scripts look for them, never run them). */
    HostFakes present(String... names) throws IOException {
        for (String name : names) {
            Files.writeString(bin.resolve(name), "#!/bin/sh\necho \"" + name + " $*\" >> \"$FAKE_LOG\"\n");
            bin.resolve(name).toFile().setExecutable(true);
        }
        return this;
    }

    /** The packages dpkg-query reports installed. */
    HostFakes dpkg(String... packages) throws IOException {
        Files.write(state.resolve("dpkg-installed"), List.of(packages));
        return this;
    }

    /** State files the fakes read: docker-running, registry-running, systemd-docker. */
    HostFakes state(String... names) throws IOException {
        for (String name : names) {
            Files.writeString(state.resolve(name), "");
        }
        return this;
    }

    HostFakes env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Runs a script of the repository (e.g. scripts/ensure-packages.sh) on this host. */
    Run run(String script, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(bin.resolve("bash").toString(), REPO.resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(root.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("HOME", root.toString());
        pb.environment().put("FAKE_LOG", log.toString());
        pb.environment().put("FAKE_STATE", state.toString());
        pb.environment().put("TEEFLOW_DOCKER_DIR", root.resolve("docker-dir").toString());
        pb.environment().put("TEEFLOW_IMAGE_CACHE", root.resolve("image-cache").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        return new Run(p.exitValue(), output, Files.readAllLines(log));
    }
}
