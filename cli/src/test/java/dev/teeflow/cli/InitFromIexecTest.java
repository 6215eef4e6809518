package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.protocol.dataset.DatasetEncryptor;
import dev.teeflow.protocol.dataset.DatasetKey;
import dev.teeflow.protocol.dataset.EncryptionResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code teeflow init --from-iexec}: the tutorial's iExec CLI project becomes an equivalent teeflow.yml that
 * references the keys and never holds them; refusals name the file. {@code teeflow import} of the dataset's
 * ciphertext: adopted with the right key, refused (and nothing recorded) with a wrong key, another plaintext
 * or no ciphertext.
 */
class InitFromIexecTest {
    private static final String SCONE_MRENCLAVE = "{\"framework\":\"SCONE\",\"version\":\"v5\",\"entrypoint\":\"python3 /app/app.py\","
            + "\"heapSize\":1073741824,\"fingerprint\":\"5a3b0c4d2e1f\"}";
    @TempDir
    Path tmp;
    Path project;
    DatasetKey key;
    EncryptionResult encrypted;

    @BeforeEach
    void tutorialProject() throws Exception {
        project = Files.createDirectories(tmp.resolve("ICBC-TEE-TUTORIAL"));
        Files.writeString(project.resolve("chain.json"), """
                {"default": "bellecour", "chains": {"bellecour": {"sms": {"scone": "https://sms.scone-debug.v8-bellecour.iex.ec"}}}}
                """);
        Files.writeString(project.resolve("iexec.json"), """
                {
                  "description": "the tutorial",
                  "app": {"owner": "0x9A07Ea49a32C1E69eD7B6dFe1aa1C19181465C52", "name": "tee-scone-hello-world", "type": "DOCKER",
                          "multiaddr": "docker-icbc.westeurope.cloudapp.azure.com/tee-app:1.0.0-alice-debug",
                          "checksum": "0x1111111111111111111111111111111111111111111111111111111111111111",
                          "mrenclave": %s},
                  "dataset": {"owner": "0x9A07Ea49a32C1E69eD7B6dFe1aa1C19181465C52", "name": "emails",
                              "multiaddr": "https://github.com/icbc-tutorial-tee/dataset/raw/main/emails-alice.xlsx.enc",
                              "checksum": "CHECKSUM"},
                  "buyConf": {"params": {"iexec_args": "--verbose"}, "tag": "0x0", "trust": "0", "callback": "0x0000000000000000000000000000000000000000"}
                }
                """.formatted(SCONE_MRENCLAVE));
        Files.writeString(project.resolve("deployed.json"), """
                {"app": {"134": "0x3dcC000000000000000000000000000000f8ea00"}, "dataset": {"134": "0x0bF2AEb5e7FCE90DCb39FEEaC49Ce44893CAd31d"}}
                """);
        Files.writeString(project.resolve("orders.json"), "{\"134\": {}}");
        Files.writeString(project.resolve("Dockerfile"), "FROM python:3.7.3-alpine3.10\nCOPY ./src /app\nENTRYPOINT [\"python3\", \"/app/app.py\"]\n");
        Files.writeString(project.resolve("wallet.json"), "{\"address\": \"9a07ea49a32c1e69ed7b6dfe1aa1c19181465c52\", \"crypto\": {}}");
        Path original = Files.createDirectories(project.resolve("datasets/original")).resolve("emails-alice.xlsx");
        Files.writeString(original, "name,email\nalice,alice@example.org\n");
        key = DatasetKey.generate();
        encrypted = DatasetEncryptor.encryptFile(original, Files.createDirectories(project.resolve("datasets/encrypted"))
                .resolve("emails-alice.xlsx.enc"), key, null, null);
        Files.writeString(project.resolve("iexec.json"), Files.readString(project.resolve("iexec.json"))
                .replace("CHECKSUM", encrypted.checksum()));
        Files.createDirectories(project.resolve(".secrets/datasets"));
        Files.writeString(project.resolve(".secrets/datasets/emails-alice.xlsx.key"), key.toBase64());
        Files.writeString(project.resolve(".secrets/datasets/dataset.key"), key.toBase64());
    }

    private CliRun teeflow(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TEEFLOW_HOME", tmp.resolve("home").toString());
        int code = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theTutorialsProjectBecomesAPipelineThatReferencesItsKeysAndValidates() throws Exception {
        CliRun init = teeflow("init", "--from-iexec", project.toString(), "--no-color");
        assertThat(init.exitCode()).as(init.out() + init.err()).isZero();
        String yml = Files.readString(project.resolve("teeflow.yml"));

        assertThat(yml).contains("target: \"bellecour\"")
                .contains("wallet: { keystore: wallet.json, password: env:WALLET_PASSWORD }")
                .contains("name: \"tee-scone-hello-world\"")
                .contains("multiaddr: \"docker-icbc.westeurope.cloudapp.azure.com/tee-app:1.0.0-alice-debug\"")
                .contains("checksum: \"0x1111111111111111111111111111111111111111111111111111111111111111\"")
                .as("the v8 mrenclave object, as its JSON text in the order written")
                .contains("mrenclave: " + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(SCONE_MRENCLAVE))
                .contains("file: \"datasets/original/emails-alice.xlsx\"")
                .contains("key: \"file:.secrets/datasets/emails-alice.xlsx.key\"")
                .contains("multiaddr: \"https://github.com/icbc-tutorial-tee/dataset/raw/main/emails-alice.xlsx.enc\"")
                .contains("args: \"--verbose\"")
                .contains("#   build: { context: ., dockerfile: Dockerfile }")
                .contains("#   push: { repository: docker-icbc.westeurope.cloudapp.azure.com/tee-app, tag: 1.0.0-alice-debug }")
                .contains("deployed.json: 0x0bF2AEb5e7FCE90DCb39FEEaC49Ce44893CAd31d");
        assertThat(yml).as("never a key's value").doesNotContain(key.toBase64())
                .doesNotContain(java.util.HexFormat.of().formatHex(key.bytes()));
        assertThat(init.out()).contains("Not translated:").contains("orders (iexec.json 'order', orders.json)")
                .contains("requester secrets").doesNotContain(key.toBase64());

        CliRun validate = teeflow("validate", "-f", project.resolve("teeflow.yml").toString(), "--no-color");
        assertThat(validate.exitCode()).as(validate.out() + validate.err()).isZero();
        CliRun graph = teeflow("graph", "-f", project.resolve("teeflow.yml").toString(), "--no-color");
        assertThat(graph.out()).as("a prebuilt app builds nothing")
                .contains("app.tee-scone-hello-world.deploy").doesNotContain("app.tee-scone-hello-world.build")
                .contains("dataset.emails.encrypt").contains("dataset.emails.deploy").contains("dataset.emails.push-secret")
                .contains("run.main.deal");
    }

    @Test
    void anExistingPipelineFileIsNeverReplaced() throws Exception {
        Files.writeString(project.resolve("teeflow.yml"), "mine\n");
        CliRun init = teeflow("init", "--from-iexec", project.toString());
        assertThat(init.exitCode()).isEqualTo(2);
        assertThat(init.err()).contains(project.resolve("teeflow.yml") + " already exists; nothing was written");
        assertThat(Files.readString(project.resolve("teeflow.yml"))).isEqualTo("mine\n");
    }

    @Test
    void aFolderWithoutIexecJsonOrChainJsonIsRefusedNamingTheFile() throws Exception {
        Files.delete(project.resolve("chain.json"));
        CliRun noChain = teeflow("init", "--from-iexec", project.toString());
        assertThat(noChain.exitCode()).isEqualTo(2);
        assertThat(noChain.err()).contains(project.resolve("chain.json") + " is missing");
        Files.delete(project.resolve("iexec.json"));
        CliRun noIexec = teeflow("init", "--from-iexec", project.toString());
        assertThat(noIexec.exitCode()).isEqualTo(2);
        assertThat(noIexec.err()).contains(project.resolve("iexec.json") + " is missing")
                .contains("an iExec CLI project");
        assertThat(project.resolve("teeflow.yml")).doesNotExist();
    }

    @Test
    void aMissingKeyFileIsNamedAsNotTranslated() throws Exception {
        Files.delete(project.resolve(".secrets/datasets/emails-alice.xlsx.key"));
        Files.delete(project.resolve(".secrets/datasets/dataset.key"));
        CliRun init = teeflow("init", "--from-iexec", project.toString(), "--no-color");
        assertThat(init.exitCode()).isZero();
        assertThat(init.out()).contains(".secrets/datasets/emails-alice.xlsx.key is missing");
    }

    /** A dataset-only pipeline (no chain): import adopts the iExec CLI's ciphertext with its key. */
    private Path datasetOnly() throws Exception {
        Files.writeString(project.resolve("teeflow.yml"), """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: data
                dataset:
                  emails:
                    file: datasets/original/emails-alice.xlsx
                    key: file:.secrets/datasets/emails-alice.xlsx.key
                """);
        return project.resolve("teeflow.yml");
    }

    @Test
    void importKeepsTheCiphertextAndItsChecksumWithTheRightKey() throws Exception {
        Path file = datasetOnly();
        CliRun imported = teeflow("import", "-f", file.toString(), "--no-color");
        assertThat(imported.exitCode()).as(imported.out() + imported.err()).isZero();
        assertThat(imported.out()).contains("adopted").contains("dataset.emails.encrypt").contains("1 adopted");
        CliRun plan = teeflow("plan", "-f", file.toString(), "--json");
        assertThat(plan.out()).contains("\"up-to-date\"").doesNotContain("\"create\"");
        CliRun shown = teeflow("state", "show", "dataset.emails.encrypt", "-f", file.toString());
        assertThat(shown.out()).as("the deployed checksum is kept").contains(encrypted.checksum())
                .doesNotContain(key.toBase64());
    }

    @Test
    void importRefusesAWrongKeyNamingTheKeyFileAndRecordsNothing() throws Exception {
        Path file = datasetOnly();
        Files.writeString(project.resolve(".secrets/datasets/emails-alice.xlsx.key"), DatasetKey.generate().toBase64());
        CliRun imported = teeflow("import", "-f", file.toString(), "--no-color");
        assertThat(imported.exitCode()).isEqualTo(1);
        assertThat(imported.out()).contains("refused").contains("the key in file:.secrets/datasets/emails-alice.xlsx.key"
                + " does not decrypt datasets/encrypted/emails-alice.xlsx.enc");
        assertNothingRecorded(file);
    }

    @Test
    void importRefusesACiphertextOfAnotherVersionOfTheFile() throws Exception {
        Path file = datasetOnly();
        Files.writeString(project.resolve("datasets/original/emails-alice.xlsx"), "name,email\nbob,bob@example.org\n");
        CliRun imported = teeflow("import", "-f", file.toString(), "--no-color");
        assertThat(imported.exitCode()).isEqualTo(1);
        assertThat(imported.out()).contains("datasets/encrypted/emails-alice.xlsx.enc decrypts with the key in"
                + " file:.secrets/datasets/emails-alice.xlsx.key, but not into datasets/original/emails-alice.xlsx");
        assertNothingRecorded(file);
    }

    @Test
    void importRefusesWithoutTheCiphertextNamingIt() throws Exception {
        Path file = datasetOnly();
        Files.delete(project.resolve("datasets/encrypted/emails-alice.xlsx.enc"));
        CliRun imported = teeflow("import", "-f", file.toString(), "--no-color");
        assertThat(imported.exitCode()).isEqualTo(1);
        assertThat(imported.out()).contains("datasets/encrypted/emails-alice.xlsx.enc is missing");
        assertNothingRecorded(file);
    }

    @Test
    void withoutTheIexecCliLayoutTheEncryptionIsLeftToApply() throws Exception {
        Path file = datasetOnly();
        deleteTree(project.resolve("datasets/encrypted"));
        CliRun imported = teeflow("import", "-f", file.toString(), "--no-color");
        assertThat(imported.exitCode()).as(imported.out() + imported.err()).isZero();
        assertThat(imported.out()).contains("left").contains("no datasets/encrypted folder").contains("0 refused");
        assertNothingRecorded(file);
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void bothCommandsAnswerHelp() {
        CliRun importHelp = teeflow("import", "--help");
        assertThat(importHelp.exitCode()).isZero();
        assertThat(importHelp.out()).contains("Usage: teeflow import").contains("Sends no transaction and pushes nothing");
        CliRun initHelp = teeflow("init", "-h");
        assertThat(initHelp.out()).contains("--from-iexec").contains("never replaces an existing pipeline file");
    }

    private void assertNothingRecorded(Path file) throws Exception {
        assertThat(teeflow("state", "list", "-f", file.toString()).out()).doesNotContain("dataset.emails.encrypt");
        Path secrets = project.resolve(".teeflow/secrets");
        if (Files.isDirectory(secrets)) {
            try (var s = Files.walk(secrets)) {
                assertThat(s.filter(Files::isRegularFile).toList()).as("no key kept").isEmpty();
            }
        }
        Path work = project.resolve(".teeflow/work/dataset.emails.encrypt");
        assertThat(work).doesNotExist();
    }
}
