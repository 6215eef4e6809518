package dev.teeflow.devnet.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.teeflow.devnet.sms.PortInUseException;

class GitHostServerTest {
    @TempDir
    Path tmp;
    GitHostServer host;

    @BeforeEach
    void start() {
        host = GitHostServer.start(tmp.resolve("host"), 0, "devnet", "devnet-password");
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void pushThenDownloadTheRawFile() throws Exception {
        Path work = tmp.resolve("work");
        byte[] encrypted = new byte[40_000];
        new java.util.Random(3).nextBytes(encrypted);
        try (Git git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call()) {
            Files.createDirectories(work.resolve("data"));
            Files.write(work.resolve("data/emails.xlsx.enc"), encrypted);
            git.add().addFilepattern(".").call();
            git.commit().setMessage("dataset").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org").call();
            git.remoteAdd().setName("origin")
                    .setUri(new org.eclipse.jgit.transport.URIish(host.repositoryUrl("alice", "dataset").toString())).call();

            assertThatThrownBy(() -> git.push().setRemote("origin").call()).isInstanceOf(TransportException.class);
            git.push().setRemote("origin")
                    .setCredentialsProvider(new UsernamePasswordCredentialsProvider("devnet", "devnet-password")).call();
        }

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> raw = http.send(HttpRequest.newBuilder(
                host.rawUrl("alice", "dataset", "main", "data/emails.xlsx.enc")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).isEqualTo(encrypted);
        assertThat(host.rawUrl("alice", "dataset", "main", "x").toString())
                .isEqualTo("http://127.0.0.1:" + host.port() + "/alice/dataset/raw/main/x");

        assertThat(http.send(HttpRequest.newBuilder(host.rawUrl("alice", "dataset", "main", "missing")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(host.rawUrl("alice", "dataset", "dev", "data/emails.xlsx.enc")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);

        // reads are public: clone without credentials
        try (Git clone = Git.cloneRepository().setURI(host.repositoryUrl("alice", "dataset").toString())
                .setDirectory(tmp.resolve("clone").toFile()).call()) {
            assertThat(Files.readAllBytes(tmp.resolve("clone/data/emails.xlsx.enc"))).isEqualTo(encrypted);
        }
    }

    @Test
    void repositoryNamesCannotEscapeTheRoot() {
        assertThat(GitHostServer.repoDir(tmp, "../x")).isNull();
        assertThat(GitHostServer.repoDir(tmp, "a/b/c")).isNull();
        assertThat(GitHostServer.repoDir(tmp, "alice/data.git")).isEqualTo(tmp.resolve("alice/data.git"));
    }

    @Test
    void busyPortIsAClearError() {
        assertThatThrownBy(() -> GitHostServer.start(tmp.resolve("h2"), host.port()))
                .isInstanceOf(PortInUseException.class).hasMessageContaining("git host");
    }
}
