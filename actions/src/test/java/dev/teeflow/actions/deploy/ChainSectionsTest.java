package dev.teeflow.actions.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.actions.testing.TestPipelines;
import dev.teeflow.actions.testing.YamlTree;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Registry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How deploy, push-secret and order blocks expand into steps, and the errors they give. */
class ChainSectionsTest {
    @TempDir
    Path project;
    final Problems problems = new Problems();

    private Map<String, StepSpec> expand(String body) throws Exception {
        ConfigNode root = YamlTree.parse(project, "apiVersion: teeflow/v1\nkind: Pipeline\nname: t\n" + body);
        return TestPipelines.expand(root, Registry.load(), problems);
    }

    private List<String> messages() {
        return problems.all().stream().map(Diagnostic::toString).toList();
    }

    @Test
    void anAppWithDeploySecretAndOrderGetsThreeChainStepsWiredToItsImage() throws Exception {
        Map<String, StepSpec> steps = expand("""
                app:
                  checker:
                    tee: { framework: scone, entrypoint: python3 /app/app.py, binary: /usr/local/bin/python3 }
                    push: { repository: 127.0.0.1:5000/checker, tag: "1.0.0" }
                    deploy: { name: email-checker }
                    secret: env:APP_SECRET
                    order: { price: 1, tag: [tee, scone], workerpool-restrict: "0x3333333333333333333333333333333333333333" }
                """);
        assertThat(messages()).isEmpty();
        assertThat(steps).containsKeys("app.checker.deploy", "app.checker.push-secret", "app.checker.order");
        StepSpec deploy = steps.get("app.checker.deploy");
        assertThat(deploy.type()).isEqualTo("app.deploy");
        assertThat(deploy.inputs()).containsEntry("name", "email-checker")
                .containsEntry("multiaddr", new Ref("app.checker.push", "multiaddr"))
                .containsEntry("checksum", new Ref("app.checker.push", "checksum"))
                .containsEntry("mrenclave", new Ref("app.checker.tee", "mrenclave"))
                .containsEntry("chain", Map.of("name", "devnet"))
                .containsEntry("wallet", Map.of("kind", "devnet", "devnet", "default", "account", 0L));
        StepSpec secret = steps.get("app.checker.push-secret");
        assertThat(secret.type()).isEqualTo("sms.app-secret");
        assertThat(secret.inputs()).containsEntry("app", new Ref("app.checker.deploy", "address"))
                .containsEntry("value", SecretRef.env("APP_SECRET"));
        StepSpec order = steps.get("app.checker.order");
        assertThat(order.type()).isEqualTo("order.publish");
        assertThat(order.inputs()).containsEntry("kind", "app").containsEntry("resource", new Ref("app.checker.deploy", "address"))
                .containsEntry("price", 1L).containsEntry("framework", new Ref("app.checker.tee", "framework"));
    }

    @Test
    void aDeployedDatasetPushesItsKeyByDefault() throws Exception {
        Map<String, StepSpec> steps = expand("""
                dataset:
                  emails:
                    file: data/emails.csv
                    publish: { file: { dir: out } }
                    deploy: true
                    order: { volume: 5 }
                  local:
                    file: data/other.csv
                    publish: { file: { dir: out } }
                    deploy: true
                    push-secret: false
                """);
        assertThat(messages()).isEmpty();
        StepSpec deploy = steps.get("dataset.emails.deploy");
        assertThat(deploy.inputs()).containsEntry("name", "emails")
                .containsEntry("multiaddr", new Ref("dataset.emails.publish", "url"))
                .containsEntry("checksum", new Ref("dataset.emails.encrypt", "checksum"));
        assertThat(steps.get("dataset.emails.push-secret").inputs())
                .containsEntry("dataset", new Ref("dataset.emails.deploy", "address"))
                .containsEntry("key", new Ref("dataset.emails.encrypt", "key"));
        assertThat(steps.get("dataset.emails.order").inputs()).containsEntry("kind", "dataset").containsEntry("volume", 5L);
        assertThat(steps).containsKey("dataset.local.deploy").doesNotContainKey("dataset.local.push-secret");
    }

    @Test
    void nothingGoesOnChainUnlessAsked() throws Exception {
        Map<String, StepSpec> steps = expand("""
                app:
                  checker:
                    push: { repository: 127.0.0.1:5000/checker }
                dataset:
                  emails:
                    file: data/emails.csv
                    publish: { file: { dir: out } }
                """);
        assertThat(messages()).isEmpty();
        assertThat(steps.keySet()).noneMatch(a -> a.endsWith(".deploy") || a.endsWith(".order") || a.endsWith(".push-secret"));
    }

    @Test
    void mistakesAreReportedWhereTheyAreWritten() throws Exception {
        expand("""
                app:
                  checker:
                    secret: env:APP_SECRET
                    order: { price: 1.5, requester-restrict: "0x12", colour: red }
                  nopush:
                    deploy: true
                dataset:
                  emails:
                    file: data/emails.csv
                    deploy: true
                    order: { tag: [tee, sgx] }
                orders:
                  both:
                    app: "0x1111111111111111111111111111111111111111"
                    dataset: "0x2222222222222222222222222222222222222222"
                """);
        List<String> m = messages();
        assertThat(m).anyMatch(s -> s.contains("app.checker.secret") && s.contains("add 'deploy: true' to app checker"));
        assertThat(m).anyMatch(s -> s.contains("app.checker.order.price") && s.contains("whole number"));
        assertThat(m).anyMatch(s -> s.contains("app.checker.order.requester-restrict") && s.contains("expected an address"));
        assertThat(m).anyMatch(s -> s.contains("app.checker.order.colour") && s.contains("unknown field"));
        assertThat(m).anyMatch(s -> s.contains("app.nopush.deploy") && s.contains("add a push: block"));
        assertThat(m).anyMatch(s -> s.contains("dataset.emails.deploy") && s.contains("add a publish: block"));
        assertThat(m).anyMatch(s -> s.contains("dataset.emails.order.tag") && s.contains("unknown tag 'sgx'"));
        assertThat(m).anyMatch(s -> s.contains("orders.both") && s.contains("only one of app, dataset, workerpool"));
    }

    @Test
    void ordersForExistingResourcesAndWorkerpools() throws Exception {
        Map<String, StepSpec> steps = expand("""
                orders:
                  public:
                    app: "0x1111111111111111111111111111111111111111"
                    volume: 100
                workerpool:
                  pool:
                    description: my pool
                    order: { category: 1, tag: "tee,tdx" }
                """);
        assertThat(messages()).isEmpty();
        assertThat(steps.get("order.public.publish").inputs()).containsEntry("kind", "app")
                .containsEntry("resource", "0x1111111111111111111111111111111111111111").containsEntry("volume", 100L);
        assertThat(steps.get("workerpool.pool.deploy").inputs()).containsEntry("description", "my pool");
        assertThat(steps.get("workerpool.pool.order").inputs()).containsEntry("resource", new Ref("workerpool.pool.deploy", "address"))
                .containsEntry("category", 1L);
    }

    @Test
    void theFullExampleOfTheDocsExpandsWithoutProblems() throws Exception {
        String doc = java.nio.file.Files.readString(Path.of("..", "docs", "deploy-and-orders.md"));
        String yaml = doc.substring(doc.indexOf("```yaml") + 7, doc.indexOf("```", doc.indexOf("```yaml") + 7));
        ConfigNode root = YamlTree.parse(project, yaml);
        Map<String, StepSpec> steps = TestPipelines.expand(root, Registry.load(), problems);
        assertThat(messages()).isEmpty();
        assertThat(steps).containsKeys("app.checker.deploy", "app.checker.push-secret", "app.checker.order",
                "dataset.emails.deploy", "dataset.emails.push-secret", "dataset.emails.order",
                "workerpool.mypool.deploy", "workerpool.mypool.order", "order.public-checker.publish",
                "requester.secret.my_email");
        assertThat(steps.get("dataset.emails.order").inputs()).containsEntry("app-restrict", new Ref("app.checker.deploy", "address"));
    }
}
