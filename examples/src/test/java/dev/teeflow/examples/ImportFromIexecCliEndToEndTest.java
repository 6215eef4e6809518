package dev.teeflow.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeflow.devnet.IexecCliConfig;
import dev.teeflow.protocol.devnet.DevnetInfo;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Coming from the iExec CLI: the official CLI does the tutorial's deploy steps against this test's devnet (app
 * deploy of an image pushed to the local registry, dataset init/encrypt/deploy with its ciphertext on the devnet's
 * IPFS node, dataset push-secret); then {@code teeflow init --from-iexec}, {@code teeflow import} and
 * {@code teeflow plan} in that folder plan no deploy and no secret push, and {@code apply} runs the task and prints
 * its answer, deploying nothing. A pipeline that describes another app than the one deployed is refused by import,
 * naming deployed.json and the field that differs.
 *
 * <p>Needs Docker, the registry on 127.0.0.1:5000, the image teeflow-test/busybox (scripts/base-images.sh) and the
 * official iexec CLI (scripts/install-iexec-cli.sh). Fails, never skips, without them.
 */
class ImportFromIexecCliEndToEndTest extends OneDevnetPerClass {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP_SCRIPT = """
            #!/bin/sh
            printf 'the dataset says: %s\\n' "$(cat "$IEXEC_IN/$IEXEC_DATASET_FILENAME")" > "$IEXEC_OUT/result.txt"
            echo '{"deterministic-output-path":"/iexec_out/result.txt"}' > "$IEXEC_OUT/computed.json"
            """;

    @Test
    void aProjectDeployedWithTheIexecCliIsImportedAndItsFirstApplyDeploysAndPushesNothing() throws Exception {
        DevnetInfo info = DevnetInfo.read(home.resolve("devnet/default/devnet.json"));
        Path project = Files.createDirectories(work.resolve("tutorial"));
        String image = pushAppImage(project);
        String digest = digestOf(image);

        // the tutorial, with the official CLI: init, app deploy, dataset init/encrypt/deploy, dataset push-secret
        iexec(project, "init", "--skip-wallet");
        Files.writeString(project.resolve("chain.json"), IexecCliConfig.chainJson(info));
        String key = info.account("user").privateKey();
        iexec(project, "wallet", "import", key, "--unencrypted");
        iexec(project, "app", "init");
        ObjectNode iexecJson = (ObjectNode) JSON.readTree(project.resolve("iexec.json").toFile());
        ((ObjectNode) iexecJson.get("app")).put("name", "word-reader").put("multiaddr", image).put("checksum", "0x" + digest);
        write(project.resolve("iexec.json"), iexecJson);
        String app = iexec(project, "app", "deploy").path("address").asText();
        iexec(project, "dataset", "init", "--encrypted");
        Files.writeString(project.resolve("datasets/original/words.txt"), "confidential words");
        JsonNode encrypted = iexec(project, "dataset", "encrypt").path("encryptedFiles").get(0);
        String cid = ipfsAdd(info.ipfsNode(), Path.of(encrypted.path("encrypted").asText()));
        iexecJson = (ObjectNode) JSON.readTree(project.resolve("iexec.json").toFile());
        ((ObjectNode) iexecJson.get("dataset")).put("name", "words").put("multiaddr", "/ipfs/" + cid)
                .put("checksum", encrypted.path("checksum").asText());
        write(project.resolve("iexec.json"), iexecJson);
        String dataset = iexec(project, "dataset", "deploy").path("address").asText();
        iexec(project, "dataset", "push-secret", dataset, "--secret-path", encrypted.path("key").asText());
        String deployedJson = Files.readString(project.resolve("deployed.json"));

        // teeflow takes over
        Map<String, String> env = Map.of("WALLET_PRIVATE_KEY", key);
        String pool = "workerpool=" + info.workerpool();
        ExampleRuns.Run init = runs.teeflow(project, env, "init", "--from-iexec", ".", "--no-color");
        assertThat(init.code()).as(init.text()).isZero();
        assertThat(init.text()).contains("Not translated:").contains("wallet.json holds an unencrypted key")
                .doesNotContain(key.substring(2));
        String yml = Files.readString(project.resolve("teeflow.yml"));
        assertThat(yml).contains("target: \"" + IexecCliConfig.chainName(info) + "\"")
                .contains("multiaddr: \"" + image + "\"").contains("key: \"file:.secrets/datasets/words.txt.key\"")
                .contains("#   build: { context: ., dockerfile: Dockerfile }");
        assertThat(yml).doesNotContain(Files.readString(Path.of(encrypted.path("key").asText())).strip())
                .doesNotContain(key.substring(2));

        ExampleRuns.Run imported = runs.teeflow(project, env, "import", "-p", pool, "--no-color");
        assertThat(imported.code()).as(imported.text()).isZero();
        assertThat(imported.text()).contains("adopted     app.word-reader.deploy").contains("adopted     dataset.words.encrypt")
                .contains("adopted     dataset.words.deploy").contains("adopted     dataset.words.push-secret")
                .contains("4 adopted");

        ExampleRuns.Run plan = runs.teeflow(project, env, "plan", "-p", pool, "--json");
        assertThat(plan.code()).as(plan.text()).isZero();
        JsonNode steps = JSON.readTree(plan.text().substring(plan.text().indexOf('{'))).path("steps");
        List<String> deploysAndPushes = new ArrayList<>();
        for (JsonNode s : steps) {
            String address = s.path("address").asText();
            if (address.endsWith(".deploy") || address.endsWith(".push-secret") || address.endsWith(".encrypt")) {
                assertThat(s.path("action").asText()).as(address + ": " + s).isEqualTo("up-to-date");
                deploysAndPushes.add(address);
            }
        }
        assertThat(deploysAndPushes).containsExactlyInAnyOrder("app.word-reader.deploy", "dataset.words.encrypt",
                "dataset.words.deploy", "dataset.words.push-secret");

        ExampleRuns.Run apply = runs.teeflow(project, env, "apply", "-p", pool, "--no-color");
        assertThat(apply.code()).as(apply.text()).isZero();
        assertThat(apply.text()).contains("0 failed, 0 not run")
                .contains("Results:\n  run.main: the dataset says: confidential words");
        for (String step : List.of("app.word-reader.deploy", "dataset.words.deploy")) {
            ExampleRuns.Run shown = runs.teeflow(project, env, "state", "show", step, "-p", pool);
            assertThat(shown.text()).as("no transaction of teeflow's").contains("\"tx\" : null")
                    .containsIgnoringCase(step.startsWith("app") ? app : dataset);
        }
        assertThat(Files.readString(project.resolve("deployed.json"))).isEqualTo(deployedJson);

        // a pipeline that describes another app than deployed.json's is refused, naming the field
        Path other = Files.createDirectories(work.resolve("other"));
        ExampleRuns.copyTree(project, other.resolve("p"));
        Path copy = other.resolve("p");
        deleteTree(copy.resolve(".teeflow"));
        Files.writeString(copy.resolve("teeflow.yml"), Files.readString(copy.resolve("teeflow.yml"))
                .replace("0x" + digest, "0x" + "2".repeat(64)));
        ExampleRuns.Run refused = runs.teeflow(copy, env, "import", "-p", pool, "--no-color");
        assertThat(refused.code()).as(refused.text()).isEqualTo(1);
        assertThat(refused.text()).contains("refused").contains("deployed.json names app " + app)
                .contains("checksum is '0x" + digest + "' on chain, '0x" + "2".repeat(64) + "' in the pipeline");
        ExampleRuns.Run list = runs.teeflow(copy, env, "state", "list", "-p", pool);
        assertThat(list.text()).doesNotContain("app.word-reader.deploy");
    }

    /** Builds the app image from a Dockerfile in the project, as the tutorial does, and pushes it to 127.0.0.1:5000. */
    private static String pushAppImage(Path project) throws Exception {
        Files.writeString(project.resolve("app.sh"), APP_SCRIPT);
        Files.writeString(project.resolve("Dockerfile"), "FROM teeflow-test/busybox\nCOPY app.sh /app.sh\n"
                + "ENTRYPOINT [\"/bin/sh\", \"/app.sh\"]\n");
        String image = "127.0.0.1:5000/import-e2e-" + Long.toHexString(System.nanoTime()) + ":1.0.0";
        sh(project, "docker build -q -t " + image + " . && docker push -q " + image);
        return image;
    }

    private static String digestOf(String image) throws Exception {
        String repoDigest = sh(Path.of("."), "docker image inspect --format '{{index .RepoDigests 0}}' " + image).strip();
        return repoDigest.substring(repoDigest.indexOf("sha256:") + "sha256:".length());
    }

    private static String sh(Path dir, String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            fail(command + " failed: " + out);
        }
        return out;
    }

    /** {@code ipfs add} of one file on the devnet's IPFS node: its CID. */
    private static String ipfsAdd(String node, Path file) throws Exception {
        String boundary = "teeflow" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file.getFileName()
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(file));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(node + "/api/v0/add?stream-channels=true&progress=false"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body().lines().reduce((a, b) -> b).orElseThrow()).path("Hash").asText();
    }

    /** {@code iexec ARGS --raw} in {@code project}; fails the test unless the answer is ok. */
    private static JsonNode iexec(Path project, String... args) throws Exception {
        String cache = System.getenv("TEEFLOW_CACHE");
        Path binary = (cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "teeflow")).resolve("iexec-cli/node_modules/.bin/iexec");
        assertThat(binary).as("the official iexec CLI (scripts/install-iexec-cli.sh)").isExecutable();
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        command.add("--raw");
        Process p = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("iexec " + String.join(" ", args) + " did not finish");
        }
        String last = out.substring(out.lastIndexOf('\n') + 1);
        JsonNode answer;
        try {
            answer = JSON.readTree(last);
        } catch (Exception e) {
            throw new AssertionError("iexec " + args[0] + " printed no JSON: " + out.replaceAll("0x[0-9a-fA-F]{64}", "0x…"));
        }
        if (answer == null || !answer.path("ok").asBoolean(false)) {
            fail("iexec " + String.join(" ", args).replaceAll("0x[0-9a-fA-F]{64}", "0x…") + " failed: " + answer);
        }
        return answer;
    }

    private static void write(Path file, JsonNode json) throws Exception {
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
