package dev.teeflow.actions.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.actions.testing.TestPipelines;
import dev.teeflow.actions.testing.YamlTree;
import dev.teeflow.devnet.sms.SmsServer;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.run.StepOutcome;
import dev.teeflow.engine.spi.Registry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/** The secrets section, expanded and applied by the real engine against a real devnet SMS. */
class SecretsThroughEngineTest {
    static final String KEY = SmsSecretStepsTest.KEY;

    @TempDir
    Path project;
    @TempDir
    Path smsData;

    private Engine engine(SmsServer sms, Map<String, String> env, List<String> logs) throws Exception {
        ConfigNode root = YamlTree.parse(project, """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: secrets
                target: lab
                chains:
                  lab: { id: 1337, rpc: "http://127.0.0.1:1", hub: "0x00000000000000000000000000000000000000aa", sms: "%s" }
                wallet: { private-key: env:PRIVATE_KEY }
                secrets:
                  my_email: env:MY_EMAIL
                """.formatted(sms.url()));
        Registry registry = Registry.load();
        Problems problems = new Problems();
        Map<String, StepSpec> steps = TestPipelines.expand(root, registry, problems);
        problems.throwIfAny();
        return TestPipelines.engine("secrets", project, steps, registry, env, logs);
    }

    @Test
    void pushedOnceSkippedAfterAndAChangedValueStopsWithTheWayOut() throws Exception {
        String address = Keys.toChecksumAddress(Credentials.create(KEY).getAddress());
        List<String> logs = new ArrayList<>();
        try (SmsServer sms = SmsServer.start(smsData, 0, c -> Optional.empty())) {
            Map<String, String> env = Map.of("PRIVATE_KEY", KEY, "MY_EMAIL", "alice@example.org");
            Report first = engine(sms, env, logs).apply(List.of(), List.of());
            assertThat(first.succeeded()).as(first.toString()).isTrue();
            assertThat(first.count(StepOutcome.Status.DONE)).isEqualTo(1);
            assertThat(sms.secrets().requesterSecret(address, "my_email")).contains("alice@example.org");

            Report second = engine(sms, env, logs).apply(List.of(), List.of());
            assertThat(second.count(StepOutcome.Status.UP_TO_DATE)).isEqualTo(1);

            Report changed = engine(sms, Map.of("PRIVATE_KEY", KEY, "MY_EMAIL", "bob@example.org"), logs)
                    .apply(List.of(), List.of());
            assertThat(changed.succeeded()).isFalse();
            StepOutcome failed = changed.outcomes().get(0);
            assertThat(failed.address()).isEqualTo("requester.secret.my_email");
            assertThat(failed.message()).contains("write-once").contains("my_email_v2")
                    .doesNotContain("bob@example.org").doesNotContain("alice@example.org");
        }
        assertThat(logs).isNotEmpty().noneMatch(l -> l.contains("example.org") || l.contains(KEY));
    }
}
