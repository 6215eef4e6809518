package dev.teeflow.actions.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.actions.testing.TestPipelines;
import dev.teeflow.actions.testing.YamlTree;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.spi.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The email-checker's dataset (encrypt, then publish through git as the example writes it), applied, then
 * applied again after losing the state directory as a fresh CI runner does: the bytes the first publish put
 * in the remote are still there, unchanged, and the new ciphertext went to a new path.
 */
class PublishedBytesStayTest {
    @TempDir
    Path project;
    @TempDir
    Path hosted;

    @Test
    void losingTheStateNeverReplacesPublishedBytes() throws Exception {
        Path remote = hosted.resolve("email-checker-data.git");
        Git.init().setBare(true).setDirectory(remote.toFile()).setInitialBranch("main").call().close();
        Files.createDirectories(project.resolve("datasets"));
        Files.write(project.resolve("datasets/emails.xlsx"), "alice@example.org,bob@example.org\n".getBytes());

        Map<String, Object> first = apply(remote);
        String firstPath = first.get("path").toString();
        byte[] firstBytes = GitPublishTest.fileAt(repo(remote), repo(remote).resolve("refs/heads/main"), firstPath);
        assertThat(firstBytes).isEqualTo(Files.readAllBytes(project.resolve(".teeflow").resolve(workFile())));

        deleteTree(project.resolve(".teeflow"));
        Map<String, Object> second = apply(remote);

        try (Repository repo = repo(remote)) {
            var head = repo.resolve("refs/heads/main");
            assertThat(second.get("checksum")).as("a lost key: a new ciphertext").isNotEqualTo(first.get("checksum"));
            assertThat(second.get("path")).isNotEqualTo(firstPath);
            assertThat(GitPublishTest.fileAt(repo, head, firstPath)).as("the first dataset's bytes").isEqualTo(firstBytes);
            assertThat(GitPublishTest.fileAt(repo, head, second.get("path").toString())).isNotEqualTo(firstBytes);
        }
    }

    private Map<String, Object> apply(Path remote) throws Exception {
        ConfigNode root = YamlTree.parse(project, """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: email-checker
                dataset:
                  emails:
                    file: datasets/emails.xlsx
                    publish:
                      git:
                        remote: "%s"
                        url: "http://127.0.0.1:1/{owner}/{repo}/raw/{branch}/{path}"
                        path: emails.xlsx.enc
                """.formatted(remote.toUri()));
        Registry registry = Registry.load();
        Problems problems = new Problems();
        Map<String, StepSpec> steps = TestPipelines.expand(root, registry, problems);
        problems.throwIfAny();
        List<String> logs = new ArrayList<>();
        Engine engine = TestPipelines.engine("email-checker", project, steps, registry, Map.of(), logs);
        Report report = engine.apply(List.of(), List.of());
        assertThat(report.succeeded()).as(report + "\n" + String.join("\n", logs)).isTrue();
        return engine.recordedOutputs("dataset.emails.publish").values();
    }

    private Path workFile() throws Exception {
        try (var files = Files.walk(project.resolve(".teeflow"))) {
            return project.resolve(".teeflow").relativize(files.filter(p -> p.getFileName().toString().equals("emails.xlsx.enc"))
                    .findFirst().orElseThrow());
        }
    }

    private static Repository repo(Path bare) throws Exception {
        return Git.open(bare.toFile()).getRepository();
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
