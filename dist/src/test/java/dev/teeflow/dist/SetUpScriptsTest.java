package dev.teeflow.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up scripts' decisions on hosts made of fake commands: what the host already has is used as it
 * is (a Docker engine from any package, a registry, git, openssl), and only what is missing is installed.
 */
class SetUpScriptsTest {
    /** What a Debian machine with teeflow's tools but no Docker reports (dpkg-checked packages). */
    static final String[] DEBIAN_BASE = {"debian-archive-keyring", "busybox-static", "ca-certificates", "time", "postgresql"};

    @TempDir
    Path tmp;

    HostFakes host() throws Exception {
        return new HostFakes(tmp).commands("dpkg-query", "apt-get", "sudo");
    }

    @Test
    void githubUbuntuRunnerKeepsMobyAndGetsDebiansArchiveKey() throws Exception {
        HostFakes.Run run = host().commands("docker", "dockerd", "git", "openssl", "curl")
                .dpkg("moby-engine", "moby-cli", "moby-containerd", "moby-runc", "ca-certificates", "time")
                .state("docker-running")
                .run("scripts/ensure-packages.sh");

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.installed()).as("Debian's docker.io would pull containerd and runc, which conflict with Moby's")
                .doesNotContain("docker.io", "containerd", "runc")
                .contains("debian-archive-keyring", "docker-registry", "debootstrap", "busybox-static")
                .doesNotContain("git", "openssl", "curl", "ca-certificates");
        assertThat(run.output()).contains("a Docker engine answers: using it as it is");
    }

    @Test
    void dockerCeIsUsedAsItIs() throws Exception {
        HostFakes.Run run = host().commands("docker", "dockerd", "curl")
                .dpkg("docker-ce", "docker-ce-cli", "containerd.io")
                .state("docker-running")
                .run("scripts/ensure-packages.sh");

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.installed()).isNotEmpty().doesNotContain("docker.io");
    }

    @Test
    void dockerInstalledButStoppedIsNotReplaced() throws Exception {
        HostFakes.Run run = host().commands("docker", "dockerd", "curl", "docker-registry", "git", "openssl")
                .dpkg("docker.io", "containerd", "runc")
                .run("scripts/ensure-packages.sh");

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.installed()).doesNotContain("docker.io", "docker-registry", "git", "openssl");
        assertThat(run.output()).contains("dockerd is installed but does not answer");
    }

    @Test
    void aBareHostGetsEverythingFromDebian() throws Exception {
        HostFakes.Run run = host().run("scripts/ensure-packages.sh");

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.calls()).filteredOn(c -> c.startsWith("apt-get")).first().asString().startsWith("apt-get update");
        assertThat(run.installed()).contains("docker.io", "docker-registry", "git", "openssl", "curl", "debootstrap",
                "busybox-static", "debian-archive-keyring", "ca-certificates");
    }

    @Test
    void aRegistryAlreadyListeningIsUsed() throws Exception {
        HostFakes.Run run = host().commands("curl").state("registry-running").run("scripts/ensure-packages.sh");

        assertThat(run.installed()).contains("docker.io").doesNotContain("docker-registry");
    }

    @Test
    void aHostWithEverythingInstallsNothing() throws Exception {
        HostFakes.Run run = host().commands("docker", "curl", "docker-registry", "git", "openssl", "debootstrap")
                .present("ssh-keygen", "unzip", "ps", "ss", "file")
                .dpkg(DEBIAN_BASE).state("docker-running")
                .run("scripts/ensure-packages.sh");

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.calls()).noneMatch(c -> c.startsWith("apt-get") || c.startsWith("sudo"));
    }

    @Test
    void dockerUpLeavesAnAnsweringEngineAndRegistryAlone() throws Exception {
        HostFakes.Run run = host().commands("docker", "dockerd", "systemctl", "curl", "docker-registry")
                .state("docker-running", "registry-running", "systemd-docker")
                .run("scripts/docker-up.sh");

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.calls()).noneMatch(c -> c.startsWith("dockerd") || c.startsWith("systemctl start")
                || c.startsWith("docker-registry"));
    }

    @Test
    void dockerUpStartsAStoppedServiceThroughSystemd() throws Exception {
        HostFakes.Run run = host().commands("docker", "dockerd", "systemctl", "curl", "docker-registry")
                .state("systemd-docker", "registry-running")
                .run("scripts/docker-up.sh");

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.calls()).contains("systemctl start docker").noneMatch(c -> c.startsWith("dockerd"));
    }

    @Test
    void dockerUpStartsDockerdItselfWithoutSystemdAndTheRegistryWhenNoneListens() throws Exception {
        HostFakes.Run run = host().commands("docker", "dockerd", "curl", "docker-registry").run("scripts/docker-up.sh");

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.calls()).anyMatch(c -> c.startsWith("dockerd")).anyMatch(c -> c.startsWith("docker-registry serve"));
    }

    @Test
    void dockerUpWithoutAnyEngineSaysWhatToRun() throws Exception {
        HostFakes.Run run = host().commands("curl").state("registry-running").run("scripts/docker-up.sh");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.output()).contains("dockerd is not installed (scripts/ensure-packages.sh installs docker.io)");
    }

    @Test
    void onUbuntuWithoutDebiansKeyBaseImagesStopsBeforeDebootstrap() throws Exception {
        HostFakes.Run run = host().commands("docker", "debootstrap", "curl")
                .state("docker-running")
                .env("ONLY", "python3").env("DEBIAN_KEYRING", tmp.resolve("no-such-keyring.gpg").toString())
                .run("scripts/base-images.sh");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.installed()).as("ensure-packages.sh was asked for it").contains("debian-archive-keyring");
        assertThat(run.output()).contains("package debian-archive-keyring, not installed by default on Ubuntu");
        assertThat(run.calls()).noneMatch(c -> c.startsWith("debootstrap") || c.startsWith("docker import"));
    }

    @Test
    void baseImagesChecksBookwormWithDebiansKey() throws Exception {
        Path keyring = tmp.resolve("debian-archive-keyring.gpg");
        Files.writeString(keyring, "a key");
        HostFakes.Run run = host().commands("docker", "debootstrap")
                .state("docker-running")
                .env("ONLY", "python3").env("DEBIAN_KEYRING", keyring.toString())
                .run("scripts/base-images.sh");

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.calls()).anyMatch(c -> c.startsWith("debootstrap --keyring=" + keyring + " ") && c.contains(" bookworm "))
                .anyMatch(c -> c.startsWith("docker import") && c.endsWith("teeflow/python3:bookworm"));
        assertThat(run.installed()).isEmpty();
    }
}
