package dev.teeflow.actions.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetSectionTest {
    @Test
    void emitsEncryptThenPublishWiredByReferences() {
        List<StepSpec> steps = expand(Map.of("emails", Map.of(
                "file", "datasets/original/emails.xlsx",
                "key", "env:DATASET_KEY",
                "publish", Map.of("git", Map.of(
                        "remote", "https://github.com/me/data.git",
                        "token", "env:GH_TOKEN",
                        "verify", true)))), new Problems());

        assertThat(steps).extracting(StepSpec::address).containsExactly("dataset.emails.encrypt", "dataset.emails.publish");
        StepSpec encrypt = steps.get(0);
        assertThat(encrypt.type()).isEqualTo("dataset.encrypt");
        assertThat(encrypt.inputs()).containsEntry("file", "datasets/original/emails.xlsx")
                .containsEntry("key", SecretRef.env("DATASET_KEY"));
        StepSpec publish = steps.get(1);
        assertThat(publish.type()).isEqualTo("dataset.publish");
        assertThat(publish.inputs()).containsEntry("ciphertext", new Ref("dataset.emails.encrypt", "ciphertext"))
                .containsEntry("checksum", new Ref("dataset.emails.encrypt", "checksum"));
        @SuppressWarnings("unchecked")
        Map<String, Object> git = (Map<String, Object>) publish.inputs().get("git");
        assertThat(git).containsEntry("branch", "main").containsEntry("token", SecretRef.env("GH_TOKEN"))
                .containsEntry("path", new Ref("dataset.emails.encrypt", "filename")).containsEntry("verify", true);

        Problems stepProblems = new Problems();
        checked(new PublishDatasetStep(), publish, stepProblems);
        checked(new EncryptDatasetStep(), encrypt, stepProblems);
        assertThat(stepProblems.all()).isEmpty();
    }

    @Test
    void aDatasetWithoutPublishIsOnlyEncrypted() {
        List<StepSpec> steps = expand(Map.of("emails", Map.of("file", "a.csv", "iexec-layout", true)), new Problems());
        assertThat(steps).extracting(StepSpec::address).containsExactly("dataset.emails.encrypt");
        assertThat(steps.get(0).inputs()).containsEntry("iexec-layout", true);
    }

    @Test
    void ipfsTakesANodeAGatewayAndATokenSecret() {
        Problems problems = new Problems();
        List<StepSpec> steps = expand(Map.of("emails", Map.of("file", "a.csv", "publish", Map.of("ipfs", Map.of(
                "url", "https://ipfs-upload.example.org", "gateway", "https://ipfs.example.org",
                "token", "env:IPFS_TOKEN", "verify", false)))), problems);
        assertThat(problems.all()).isEmpty();
        StepSpec publish = steps.get(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> ipfs = (Map<String, Object>) publish.inputs().get("ipfs");
        assertThat(ipfs).containsEntry("token", SecretRef.env("IPFS_TOKEN")).containsEntry("verify", false);
        assertThat(publish.inputs()).doesNotContainKey("chain");
        Problems stepProblems = new Problems();
        checked(new PublishDatasetStep(), publish, stepProblems);
        assertThat(stepProblems.all()).isEmpty();

        Problems unknown = new Problems();
        expand(Map.of("emails", Map.of("file", "a.csv", "publish", Map.of("ipfs", Map.of("gatway", "x")))), unknown);
        assertThat(unknown.all()).anyMatch(d -> d.toString().contains("did you mean 'gateway'"));
    }

    @Test
    void httpHeadersMayBeSecrets() {
        List<StepSpec> steps = expand(Map.of("emails", Map.of("file", "a.csv", "publish", Map.of("http", Map.of(
                "url", "https://store.example.org/emails.enc", "method", "post",
                "headers", Map.of("Authorization", "env:UPLOAD_TOKEN", "X-Kind", "dataset"))))), new Problems());
        @SuppressWarnings("unchecked")
        Map<String, Object> http = (Map<String, Object>) steps.get(1).inputs().get("http");
        assertThat(http).containsEntry("method", "POST")
                .containsEntry("headers", Map.of("Authorization", SecretRef.env("UPLOAD_TOKEN"), "X-Kind", "dataset"));
    }

    @Test
    void reportsUnknownKeysWithLocationAndSuggestion() {
        Problems problems = new Problems();
        List<StepSpec> steps = expand(Map.of("emails", Map.of(
                "fiel", "a.csv",
                "publish", Map.of("git", Map.of("remote", "https://github.com/me/d.git", "brnch", "dev")))), problems);

        List<String> messages = problems.all().stream().map(Diagnostic::toString).toList();
        assertThat(messages).anyMatch(m -> m.contains("dataset.emails.fiel") && m.contains("did you mean 'file'") && m.contains("teeflow.yml:"));
        assertThat(messages).anyMatch(m -> m.contains("dataset.emails.publish.git.brnch") && m.contains("did you mean 'branch'"));
        assertThat(messages).anyMatch(m -> m.contains("missing required field 'file'"));
        assertThat(steps).isEmpty();
    }

    @Test
    void rejectsAPlainKeyValueAnUnknownHostWithoutPatternAndTwoTargets() {
        Problems problems = new Problems();
        expand(Map.of("emails", Map.of("file", "a.csv", "key", "c2VjcmV0LWtleS1ieXRlcw==",
                "publish", Map.of("git", Map.of("remote", "https://git.example.org/me/d.git"),
                        "file", Map.of("dir", "out")))), problems);
        List<String> messages = problems.all().stream().map(Diagnostic::toString).toList();
        assertThat(messages).anyMatch(m -> m.contains("dataset.emails.key") && m.contains("secret reference"));
        assertThat(messages).noneMatch(m -> m.contains("c2VjcmV0LWtleS1ieXRlcw=="));
        assertThat(messages).anyMatch(m -> m.contains("only one of git:, http:, file: or ipfs:"));

        Problems host = new Problems();
        expand(Map.of("emails", Map.of("file", "a.csv",
                "publish", Map.of("git", Map.of("remote", "https://git.example.org/me/d.git")))), host);
        assertThat(host.all()).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo("dataset.emails.publish.git.remote");
            assertThat(d.message()).contains("url:").contains("git.example.org/{owner}/{repo}/raw/{branch}/{path}");
        });
    }

    @Test
    void contributorsCanBeAppended() {
        DatasetStepContributor audit = (dataset, fields, problems, emit) -> fields.optionalString("audit").ifPresent(v ->
                emit.accept(StepSpec.of(dataset.address("audit"), "dataset.audit",
                        Map.of("checksum", dataset.output("encrypt", "checksum")))));
        List<DatasetStepContributor> all = new ArrayList<>(DatasetSection.CONTRIBUTORS);
        all.add(audit);
        List<StepSpec> steps = new ArrayList<>();
        Problems problems = new Problems();
        new DatasetSection(all).expand(Nodes.tree("dataset", Map.of("emails", Map.of("file", "a.csv", "audit", "yes"))),
                null, problems, steps::add);
        assertThat(problems.all()).isEmpty();
        assertThat(steps).extracting(StepSpec::address).containsExactly("dataset.emails.encrypt", "dataset.emails.audit");
    }

    @Test
    void isFoundThroughServiceLoader() {
        Registry r = Registry.load();
        assertThat(r.sectionTypes()).containsKey("dataset");
        assertThat(r.stepTypes()).containsKeys("dataset.encrypt", "dataset.publish");
    }

    @Test
    void sshFieldsAreReadAsSecretsAndChecked() {
        List<StepSpec> steps = expand(Map.of("emails", Map.of("file", "a.csv", "publish", Map.of("git", Map.of(
                "remote", "git@github.com:me/data.git",
                "ssh-key", "env:DEPLOY_KEY",
                "ssh-passphrase", "file:.secrets/deploy-passphrase",
                "known-hosts", "~/.ssh/known_hosts",
                "host-key-fingerprint", List.of("SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s"))))), new Problems());
        @SuppressWarnings("unchecked")
        Map<String, Object> git = (Map<String, Object>) steps.get(1).inputs().get("git");
        assertThat(git).containsEntry("ssh-key", SecretRef.env("DEPLOY_KEY"))
                .containsEntry("ssh-passphrase", SecretRef.parse("file:.secrets/deploy-passphrase").orElseThrow())
                .containsEntry("known-hosts", "~/.ssh/known_hosts")
                .containsEntry("host-key-fingerprint", List.of("SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s"));
        Problems stepProblems = new Problems();
        checked(new PublishDatasetStep(), steps.get(1), stepProblems);
        assertThat(stepProblems.all()).isEmpty();
    }

    @Test
    void sshRemotesNeedAKeyAndKeysNeedAnSshRemote() {
        Problems noKey = new Problems();
        expand(Map.of("emails", Map.of("file", "a.csv", "publish", Map.of("git", Map.of(
                "remote", "ssh://git@github.com/me/data.git", "token", "env:GH_TOKEN")))), noKey);
        assertThat(noKey.all()).map(Diagnostic::toString).anyMatch(m -> m.contains("SSH remote takes git.ssh-key"));

        Problems keyForHttps = new Problems();
        List<StepSpec> none = expand(Map.of("emails", Map.of("file", "a.csv", "publish", Map.of("git", Map.of(
                "remote", "https://github.com/me/data.git", "ssh-key", "env:DEPLOY_KEY")))), keyForHttps);
        assertThat(keyForHttps.all()).map(Diagnostic::toString).anyMatch(m -> m.contains("need an SSH remote"));
        assertThat(none).extracting(StepSpec::address).doesNotContain("dataset.emails.publish");
    }

    private static List<StepSpec> expand(Map<String, Object> section, Problems problems) {
        List<StepSpec> steps = new ArrayList<>();
        ConfigNode node = Nodes.tree("dataset", section);
        new DatasetSection().expand(node, null, problems, steps::add);
        return steps;
    }

    /** What loading does with a step: the schema check, then the type's own rules. */
    private static void checked(dev.teeflow.engine.spi.StepType type, StepSpec spec, Problems problems) {
        type.schema().check(spec, problems);
        type.validate(spec, problems);
    }
}
