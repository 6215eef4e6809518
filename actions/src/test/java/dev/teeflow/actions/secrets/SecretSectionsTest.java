package dev.teeflow.actions.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.actions.testing.TestPipelines;
import dev.teeflow.actions.testing.YamlTree;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Registry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSectionsTest {
    @TempDir
    Path project;

    private List<StepSpec> expand(String yaml, Problems problems) throws Exception {
        ConfigNode root = YamlTree.parse(project, yaml);
        Registry registry = Registry.load();
        List<StepSpec> steps = List.copyOf(TestPipelines.expand(root, registry, problems).values());
        for (StepSpec spec : steps) {
            registry.stepType(spec.type()).orElseThrow().validate(spec, problems);
        }
        return steps;
    }

    @Test
    void stepAndSectionTypesAreFoundThroughServiceLoader() {
        Registry r = Registry.load();
        assertThat(r.stepTypes()).containsKeys("sms.requester-secret", "sms.result-encryption-key", "sms.dataset-key", "sms.app-secret");
        assertThat(r.sectionTypes()).containsKeys("target", "chains", "wallet", "secrets", "result");
        assertThat(r.stepType("sms.dataset-key").orElseThrow().effect()).isEqualTo(Effect.EXTERNAL);
    }

    @Test
    void secretsBecomeRequesterSecretStepsWithChainAndWallet() throws Exception {
        Problems problems = new Problems();
        List<StepSpec> steps = expand("""
                apiVersion: teeflow/v1
                target: arbitrum-sepolia
                wallet: { keystore: wallet.json, password: env:WALLET_PASSWORD }
                secrets:
                  my_email: env:MY_EMAIL
                  api-token: { secret: file:secrets/token.txt }
                result:
                  encryption: true
                """, problems);
        assertThat(problems.all()).isEmpty();
        assertThat(steps).extracting(StepSpec::address)
                .containsExactly("requester.secret.my_email", "requester.secret.api-token", "result.encryption-key");
        StepSpec email = steps.get(0);
        assertThat(email.type()).isEqualTo("sms.requester-secret");
        assertThat(email.inputs()).containsEntry("name", "my_email").containsEntry("value", SecretRef.env("MY_EMAIL"))
                .containsEntry("chain", Map.of("name", "arbitrum-sepolia"));
        @SuppressWarnings("unchecked") Map<String, Object> wallet = (Map<String, Object>) email.inputs().get("wallet");
        assertThat(wallet).containsEntry("kind", "keystore")
                .containsEntry("password", SecretRef.env("WALLET_PASSWORD"));
        assertThat(email.location().line()).isEqualTo(5);
        assertThat(steps.get(2).type()).isEqualTo("sms.result-encryption-key");
    }

    @Test
    void badSecretNamesAndPlainValuesAreRefusedWithTheirLines() throws Exception {
        Problems problems = new Problems();
        List<StepSpec> steps = expand("""
                secrets:
                  "my email": env:MY_EMAIL
                  token: hunter2
                result: { encryption: yes-please, encrypt: true }
                """, problems);
        assertThat(steps).isEmpty();
        List<String> messages = problems.all().stream().map(Object::toString).toList();
        assertThat(messages).anyMatch(m -> m.contains("teeflow.yml:2:") && m.contains("secret name 'my email'"));
        assertThat(messages).anyMatch(m -> m.contains("teeflow.yml:3:") && m.contains("expected a secret reference"));
        assertThat(messages).anyMatch(m -> m.contains("result.encryption") && m.contains("expected true or false"));
        assertThat(messages).anyMatch(m -> m.contains("unknown field 'encrypt'"));
        assertThat(messages).noneMatch(m -> m.contains("hunter2"));
    }
}
