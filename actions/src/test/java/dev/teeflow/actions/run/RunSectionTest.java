package dev.teeflow.actions.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.actions.testing.YamlTree;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSectionTest {
    @TempDir
    Path dir;

    Map<String, StepSpec> expand(String yaml, Problems problems) throws Exception {
        ConfigNode root = YamlTree.parse(dir, "apiVersion: teeflow/v1\nkind: Pipeline\nname: t\n" + yaml);
        Map<String, StepSpec> steps = new LinkedHashMap<>();
        new RunSection().expand(root.get("run"), root, problems, s -> steps.put(s.address(), s));
        return steps;
    }

    @Test
    void theBudgetReachesEveryDealInNrlcAndAnUnsupportedGasBudgetIsRefusedWithItsLine() throws Exception {
        Problems problems = new Problems();
        Map<String, StepSpec> steps = expand("""
                budget: { rlc: 2.5 }
                run:
                  a: { app: "0x%s" }
                """.formatted("1".repeat(40)), problems);
        assertThat(problems.all()).isEmpty();
        assertThat(steps.get("run.a.deal").inputs()).containsEntry(DealStep.BUDGET, "2500000000");
        assertThat(new DealStep().unkeyedInputs()).containsExactly(DealStep.BUDGET);
        assertThat(steps.get("run.a.fetch").inputs()).containsEntry("task-ids", new Ref("run.a.deal", "task-ids"));

        Problems bad = new Problems();
        ConfigNode root = YamlTree.parse(dir, "apiVersion: teeflow/v1\nkind: Pipeline\nname: t\nbudget: { rlc: -1, gas-eth: x, usd: 1 }\n");
        new BudgetSection().expand(root.get("budget"), root, bad, s -> { });
        assertThat(bad.all().toString()).contains("teeflow.yml:4:16: budget.rlc: must be 0 or more")
                .contains("teeflow.yml:4:29: budget.gas-eth: must be a number of ETH")
                .contains("budget.usd: unknown key 'usd' in budget (allowed: rlc, gas-eth)");
        assertThat(bad.all()).hasSize(3);

        Problems good = new Problems();
        ConfigNode gas = YamlTree.parse(dir, "apiVersion: teeflow/v1\nkind: Pipeline\nname: t\nbudget: { gas-eth: 0.01 }\n");
        assertThat(BudgetSection.gasWei(gas, good)).contains(java.math.BigInteger.TEN.pow(16));
        assertThat(good.all()).isEmpty();
    }

    @Test
    void namedBlocksBecomeReferencesToDeployAddressesSecretFingerprintsAndTheResultKey() throws Exception {
        Problems problems = new Problems();
        Map<String, StepSpec> steps = expand("""
                app: { checker: { build: { context: . } } }
                dataset: { emails: { file: emails.xlsx, deploy: true } }
                secrets: { my_email: env:MY_EMAIL }
                result: { encryption: true }
                run:
                  check:
                    app: checker
                    dataset: emails
                    secrets: { 1: my_email }
                    args: [--verbose]
                    encrypt-result: true
                    fetch: { to: out/ }
                """, problems);
        assertThat(problems.all()).isEmpty();
        assertThat(steps).containsOnlyKeys("run.check.deal", "run.check.wait", "run.check.fetch");
        Map<String, Object> deal = steps.get("run.check.deal").inputs();
        assertThat(deal.get("app")).isEqualTo(new Ref("app.checker.deploy", "address"));
        assertThat(deal.get("dataset")).isEqualTo(new Ref("dataset.emails.deploy", "address"));
        assertThat(deal.get("secrets")).isEqualTo(Map.of("1", new Ref("requester.secret.my_email", "name")));
        assertThat(deal.get("secret-fingerprints")).isEqualTo(Map.of("my_email", new Ref("requester.secret.my_email", "fingerprint")));
        assertThat(deal.get("result-key")).isEqualTo(new Ref("result.encryption-key", "public-key-fingerprint"));
        assertThat(steps.get("run.check.deal").needs()).containsExactly("dataset.emails.push-secret");
        assertThat(steps.get("run.check.wait").inputs().get("deal-id")).isEqualTo(new Ref("run.check.deal", "deal-id"));
        assertThat(steps.get("run.check.fetch").inputs()).containsEntry("to", "out/")
                .containsEntry("private-key", new Ref("result.encryption-key", "private-key"))
                .containsEntry("location", new Ref("run.check.wait", "result-location"));
    }

    @Test
    void theTagFollowsTheAppsFrameworkAndAContradictingTagIsRefused() throws Exception {
        String apps = """
                app:
                  s: { build: { context: . }, tee: { framework: scone, entrypoint: sh /a.sh, binary: /bin/sh } }
                  n: { build: { context: . }, tee: { framework: none } }
                  t: { build: { context: . } }
                """;
        Problems problems = new Problems();
        Map<String, StepSpec> steps = expand(apps + """
                run:
                  rs: { app: s }
                  rn: { app: n }
                  rt: { app: t }
                """, problems);
        assertThat(problems.all()).isEmpty();
        assertThat(steps.get("run.rs.deal").inputs()).containsEntry("tee-framework", "scone").doesNotContainKey("tag");
        assertThat(steps.get("run.rn.deal").inputs()).containsEntry("tag", "");
        assertThat(steps.get("run.rt.deal").inputs()).doesNotContainKeys("tag", "tee-framework");

        Problems wrong = new Problems();
        expand(apps + """
                run:
                  rs: { app: s, tag: [tee, tdx] }
                  rn: { app: n, tag: tee }
                  rt: { app: t, tag: "tee,scone" }
                """, wrong);
        assertThat(wrong.all()).hasSize(3);
        assertThat(wrong.all().get(0).toString()).contains("teeflow.yml:").contains("app s is converted for scone")
                .contains("use tee,scone");
        assertThat(wrong.all().get(1).toString()).contains("app n is converted for none").contains("use no tee tag");
    }

    @Test
    void aGenericDatasetKeyPushOfTheRunsDatasetComesBeforeTheDeal() throws Exception {
        Problems problems = new Problems();
        Map<String, StepSpec> steps = expand("""
                steps:
                  dskey:
                    type: sms.dataset-key
                    with: { dataset: "0x00000000000000000000000000000000000000d1", key: { secret: env:KEY } }
                  other:
                    type: sms.dataset-key
                    with: { dataset: "0x00000000000000000000000000000000000000d2", key: { secret: env:KEY } }
                run:
                  r: { app: "0x00000000000000000000000000000000000000a1", dataset: "0x00000000000000000000000000000000000000d1" }
                """, problems);
        assertThat(problems.all()).isEmpty();
        assertThat(steps.get("run.r.deal").needs()).containsExactly("dskey");
    }

    @Test
    void aMatrixMakesOneDealChainPerEntry() throws Exception {
        Problems problems = new Problems();
        Map<String, StepSpec> steps = expand("""
                run:
                  check:
                    app: "0x00000000000000000000000000000000000000a1"
                    matrix:
                      dataset: ["0x00000000000000000000000000000000000000d1", "0x00000000000000000000000000000000000000d2"]
                      args: [a, b]
                """, problems);
        assertThat(problems.all()).isEmpty();
        assertThat(steps.keySet()).filteredOn(a -> a.endsWith(".deal"))
                .containsExactly("run.check-0.deal", "run.check-1.deal", "run.check-2.deal", "run.check-3.deal");
        assertThat(steps.get("run.check-3.deal").inputs()).containsEntry("dataset", "0x00000000000000000000000000000000000000d2")
                .containsEntry("args", "b");
        assertThat(steps.get("run.check-2.fetch").inputs()).containsEntry("to", "out/check-2");
    }

    @Test
    void mistakesAreReportedWithWhatToDo() throws Exception {
        Problems problems = new Problems();
        expand("""
                app: { checker: {} }
                run:
                  check:
                    app: chekcer
                    secrets: { one: my_email }
                    encrypt-result: true
                    volum: 2
                """, problems);
        List<String> messages = problems.all().stream().map(Object::toString).toList();
        assertThat(messages).anyMatch(m -> m.contains("'chekcer'") && m.contains("did you mean 'checker'"));
        assertThat(messages).anyMatch(m -> m.contains("secret index 'one'"));
        assertThat(messages).anyMatch(m -> m.contains("result: { encryption: true }"));
        assertThat(messages).anyMatch(m -> m.contains("volum"));
    }

    @Test
    void paramsAreTheSdksJsonByteForByte() {
        assertThat(new RequestParams(RequestParams.joinArgs(List.of("--verbose", "two words")), List.of("https://x/a.csv"),
                Map.of("10", "b", "2", "a"), true, "ipfs").toJson())
                .isEqualTo("{\"iexec_args\":\"--verbose \\\"two words\\\"\",\"iexec_input_files\":[\"https://x/a.csv\"],"
                        + "\"iexec_secrets\":{\"2\":\"a\",\"10\":\"b\"},\"iexec_result_encryption\":true,"
                        + "\"iexec_result_storage_provider\":\"ipfs\"}");
        assertThat(new RequestParams(null, List.of(), Map.of(), false, "ipfs").toJson())
                .isEqualTo("{\"iexec_result_storage_provider\":\"ipfs\"}");
    }
}
