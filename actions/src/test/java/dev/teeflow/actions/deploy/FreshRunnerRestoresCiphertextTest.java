package dev.teeflow.actions.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.devnet.chain.DevAccounts;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.run.StepOutcome;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateEncryption;
import dev.teeflow.engine.state.StateStore;
import dev.teeflow.state.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two checkouts of a pipeline that encrypts, publishes (to a shared git remote), deploys a dataset and pushes
 * its key, sharing nothing but a postgres state: runner B has the plaintext (its own checkout, another date)
 * but not A's ciphertext, a local cache. B's plan restores the ciphertext and nothing else, and its apply
 * makes the very same bytes, sends no transaction and leaves the state as A wrote it.
 */
class FreshRunnerRestoresCiphertextTest extends OneChainLabPerClass {
    private static final PostgresServer SERVER = PostgresServer.start();
    private static final String ENCRYPT = "dataset.emails.encrypt";

    @TempDir
    Path runnerA;
    @TempDir
    Path runnerB;
    @TempDir
    Path hosted;

    private final String schema = PostgresServer.newSchema();

    @Test
    void aFreshRunnerRestoresTheCiphertextAndSendsNothing() throws Exception {
        int account = 8;
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String key = Base64.getEncoder().encodeToString(raw);
        Path remote = hosted.resolve("data.git");
        Git.init().setBare(true).setDirectory(remote.toFile()).setInitialBranch("main").call().close();
        String pipeline = lab.header("shared") + """
                dataset:
                  emails:
                    file: data/emails.csv
                    publish:
                      git:
                        remote: "%s"
                        url: "http://127.0.0.1:1/{owner}/{repo}/raw/{branch}/{path}"
                        path: emails.csv.enc
                    deploy: true
                """.formatted(remote.toUri());
        for (Path runner : List.of(runnerA, runnerB)) {
            Files.writeString(runner.resolve("teeflow.yml"), pipeline);
            Files.createDirectories(runner.resolve("data"));
            Files.writeString(runner.resolve("data/emails.csv"), "alice@example.org\nbob@example.org\n");
        }
        // B's checkout was made later: the same content, another date
        Path plainB = runnerB.resolve("data/emails.csv");
        Files.setLastModifiedTime(plainB, FileTime.fromMillis(Files.getLastModifiedTime(plainB).toMillis() + 3_600_000));
        Map<String, String> env = Map.of("PRIVATE_KEY", DevAccounts.publicTestKey(account));
        long before = lab.chain.sender(account).minedTransactionCount();
        List<String> logs = new ArrayList<>();
        try {
            Report applyA = ApplyOnSharedState.engine(runnerA, schema, key, env, logs, ChainLab.registry(), Duration.ZERO)
                    .apply(List.of(), List.of());
            assertThat(applyA.succeeded()).as(applyA + "\n" + String.join("\n", logs)).isTrue();
            long afterA = lab.chain.sender(account).minedTransactionCount();
            assertThat(afterA).as("A deployed the dataset").isGreaterThan(before);
            byte[] ciphertextA = Files.readAllBytes(workFile(runnerA));
            Map<String, Object> recordA = encryptRecord(key);

            Plan planB = ApplyOnSharedState.engine(runnerB, schema, key, env, logs, ChainLab.registry(), Duration.ZERO)
                    .plan(List.of(), List.of());
            assertThat(planB.steps()).allSatisfy(s -> {
                if (s.address().equals(ENCRYPT)) {
                    assertThat(s.action()).isEqualTo(Action.RERUN);
                    assertThat(s.reason()).startsWith("restore: the ciphertext emails.csv.enc is not on this machine");
                } else {
                    assertThat(s.action()).as(s.address() + ": " + s.reason()).isEqualTo(Action.UP_TO_DATE);
                }
            });

            logs.clear();
            Report applyB = ApplyOnSharedState.engine(runnerB, schema, key, env, logs, ChainLab.registry(), Duration.ZERO)
                    .apply(List.of(), List.of());
            assertThat(applyB.succeeded()).as(applyB + "\n" + String.join("\n", logs)).isTrue();
            assertThat(applyB.outcomes()).allSatisfy(o -> assertThat(o.status())
                    .as(o.address() + ": " + o.message())
                    .isEqualTo(o.address().equals(ENCRYPT) ? StepOutcome.Status.DONE : StepOutcome.Status.UP_TO_DATE));
            assertThat(lab.chain.sender(account).minedTransactionCount()).as("B sent no transaction").isEqualTo(afterA);
            assertThat(Files.readAllBytes(workFile(runnerB))).as("the very bytes A published").isEqualTo(ciphertextA);
            assertThat(encryptRecord(key)).as("the record stands as A wrote it").isEqualTo(recordA);

            Plan again = ApplyOnSharedState.engine(runnerB, schema, key, env, logs, ChainLab.registry(), Duration.ZERO)
                    .plan(List.of(), List.of());
            assertThat(again.hasChanges()).as(again.toString()).isFalse();
        } finally {
            SERVER.drop(schema);
        }
    }

    private Map<String, Object> encryptRecord(String key) throws Exception {
        try (StateBackend shared = SERVER.open(schema, "shared")) {
            var record = new StateStore(hosted.resolve("view"), shared, StateEncryption.ofRawKey(key)).read(ENCRYPT).record();
            return Map.of("key", record.key(), "outputs", record.outputs(), "finished", String.valueOf(record.finishedAt()));
        }
    }

    private static Path workFile(Path runner) throws Exception {
        try (var files = Files.walk(runner.resolve(".teeflow"))) {
            return files.filter(p -> p.getFileName().toString().equals("emails.csv.enc")).findFirst().orElseThrow();
        }
    }
}
