package dev.teeflow.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeflow.devnet.chain.CacheDir;
import dev.teeflow.protocol.devnet.DevnetInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tutorial's run with the official iexec CLI: app + dataset + requester secret + encrypted result on the TEE tag
 * (tee,tdx, the CLI's default), workerpool = the devnet's. Matching the orders needs only the chain and the market,
 * so {@link #appRunMatchesTheOrdersOnChain} runs today. Running the task needs the workerpool component
 * ({@code dev.teeflow.devnet.worker}, registered as a {@link DevnetComponent} named "workerpool"): until it is on
 * the class path {@link #appRunWatchCompletesAndTheEncryptedResultDownloadsAndDecrypts} is reported as SKIPPED with
 * "WAITING FOR THE WORKER"; once it is, the test runs and must pass.
 *
 * <p>The app image is {@value #APP_IMAGE} (override: env TEEFLOW_DEVNET_TEST_APP_IMAGE); the worker must be able to
 * run it offline (a locally built image: Docker Hub is unreachable in CI).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IexecCliTaskInteropTest {
    static final String APP_IMAGE = "teeflow-test/devnet-cli-app:1";
    static final String DATASET_CONTENT = "alice@example.org";
    /**
     * The app: writes dataset content | requester secret 1 | its arguments into result.txt, and computed.json;
     * with the argument {@code fail} it prints the secret on stderr and exits 3.
     */
    static final String APP_SCRIPT = """
            #!/bin/sh
            echo "devnet CLI test app, task $IEXEC_TASK_ID"
            if [ "$1" = fail ]; then echo "cannot go on with $IEXEC_REQUESTER_SECRET_1" >&2; exit 3; fi
            printf '%s|%s|%s\\n' "$(cat "$IEXEC_IN/$IEXEC_DATASET_FILENAME")" "$IEXEC_REQUESTER_SECRET_1" "$*" > "$IEXEC_OUT/result.txt"
            echo '{"deterministic-output-path":"/iexec_out/result.txt"}' > "$IEXEC_OUT/computed.json"
            """;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static boolean appImageBuilt;
    private Devnet devnet;
    private DevnetInfo info;
    private IexecCli iexec;
    private String app;
    private String dataset;

    @BeforeAll
    void startDevnetAndDeploy(@TempDir Path tmp) throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        iexec = IexecCli.in(project);
        devnet = Devnet.start(new DevnetConfig("tasks", tmp.resolve("home/devnet/tasks"), DevnetPorts.findFree(),
                134134, CacheDir.resolve()), line -> { });
        info = devnet.info();
        iexec.ok("init", "--skip-wallet");
        Files.writeString(project.resolve("chain.json"), IexecCliConfig.chainJson(info));
        String[] importLine = IexecCliConfig.walletImportCommand(info.account("user")).split(" ");
        iexec.ok(List.of(importLine).subList(1, importLine.length).toArray(String[]::new));
        iexec.ok("app", "init");
        String image = System.getenv().getOrDefault("TEEFLOW_DEVNET_TEST_APP_IMAGE", APP_IMAGE);
        ObjectNode iexecJson = (ObjectNode) JSON.readTree(project.resolve("iexec.json").toFile());
        ((ObjectNode) iexecJson.get("app")).put("multiaddr", image);
        Files.writeString(project.resolve("iexec.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(iexecJson));
        app = iexec.ok("app", "deploy").path("address").asText();
        // the tutorial's dataset: encrypted by the CLI, the ciphertext published on the devnet store
        iexec.ok("dataset", "init", "--encrypted");
        Files.writeString(project.resolve("datasets/original/emails.txt"), DATASET_CONTENT);
        JsonNode encrypted = iexec.ok("dataset", "encrypt").path("encryptedFiles").get(0);
        String id = devnet.storage().put(Path.of(encrypted.path("encrypted").asText()));
        iexecJson = (ObjectNode) JSON.readTree(project.resolve("iexec.json").toFile());
        ((ObjectNode) iexecJson.get("dataset")).put("name", "emails").put("multiaddr", "/ipfs/" + id)
                .put("checksum", encrypted.path("checksum").asText());
        Files.writeString(project.resolve("iexec.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(iexecJson));
        dataset = iexec.ok("dataset", "deploy").path("address").asText();
        iexec.ok("dataset", "push-secret", dataset, "--secret-path", encrypted.path("key").asText());
        iexec.ok("requester", "push-secret", "my-email", "--secret-value", "someone@example.org");
        iexec.ok("result", "generate-encryption-keypair");
        iexec.ok("result", "push-encryption-key");
        iexec.ok("order", "init", "--app", "--dataset");
        iexec.ok("order", "sign", "--app", "--dataset", "--skip-preflight-check");
        iexec.ok("order", "publish", "--app", "--dataset", "--skip-preflight-check", "--force");
    }

    @AfterAll
    void stopDevnet() {
        if (devnet != null) {
            devnet.close();
        }
    }

    private String[] runArgs(boolean watch) {
        return runArgs(watch, "hello world");
    }

    private String[] runArgs(boolean watch, String appArgs) {
        List<String> args = new ArrayList<>(List.of("app", "run", app, "--dataset", dataset, "--workerpool",
                info.workerpool(), "--tag", "tee,tdx", "--secret", "1=my-email", "--encrypt-result",
                "--args", appArgs, "--skip-preflight-check", "--force"));
        if (watch) {
            args.add("--watch");
        }
        return args.toArray(String[]::new);
    }

    @Test
    void appRunMatchesTheOrdersOnChain() {
        JsonNode run = iexec.ok(runArgs(false));
        String dealId = run.path("deals").get(0).path("dealid").asText();
        assertThat(dealId).startsWith("0x").hasSize(66);

        JsonNode deal = iexec.ok("deal", "show", dealId).path("deal");
        assertThat(deal.path("app").path("pointer").asText()).isEqualToIgnoringCase(app);
        assertThat(deal.path("dataset").path("pointer").asText()).isEqualToIgnoringCase(dataset);
        assertThat(deal.path("workerpool").path("pointer").asText()).isEqualToIgnoringCase(info.workerpool());
        assertThat(deal.path("tag").asText()).isEqualTo("0x0000000000000000000000000000000000000000000000000000000000000009");
        JsonNode params = readJson(deal.path("params").asText());
        assertThat(params.path("iexec_secrets").path("1").asText()).isEqualTo("my-email");
        assertThat(params.path("iexec_result_encryption").asBoolean()).isTrue();
        assertThat(deal.path("tasks")).hasSize(1);
    }

    @Test
    void appRunWatchCompletesAndTheEncryptedResultDownloadsAndDecrypts() throws Exception {
        assumeTrue(Devnet.componentInstalled(DevnetComponent.WORKERPOOL),
                "WAITING FOR THE WORKER: no DevnetComponent named 'workerpool' on the class path "
                        + "(package dev.teeflow.devnet.worker not merged yet), so no task can run");
        assertThat(devnet.componentFailures()).as("the workerpool is installed, so it must start").isEmpty();
        assertThat(devnet.components()).contains(DevnetComponent.WORKERPOOL);
        buildAppImage();
        JsonNode run = iexec.ok(runArgs(true));
        JsonNode task = run.path("tasks").get(0);
        assertThat(task.path("statusName").asText()).as(run.toString()).isEqualTo("COMPLETED");
        String taskId = task.path("taskid").asText();

        JsonNode shown = iexec.ok("task", "show", taskId, "--download", "encrypted-result.zip");
        Path downloaded = Path.of(shown.path("resultPath").asText());
        assertThat(downloaded).exists();
        assertThat(zipEntries(downloaded)).as("what the CLI's decryptResult requires at the zip root")
                .contains("iexec_out.zip.aes", "aes-key.rsa");

        JsonNode decrypted = iexec.ok("result", "decrypt", downloaded.toString(), "--force");
        Path clear = Path.of(decrypted.path("resultsPath").asText());
        assertThat(zipEntries(clear)).contains("computed.json", "result.txt");
        assertThat(zipEntry(clear, "result.txt")).isEqualTo(DATASET_CONTENT + "|someone@example.org|hello world\n");
    }

    @Test
    void taskDebugShowsTheWorkerpoolsViewAndTheAppLogsOfACompletedTeeTask() throws Exception {
        String taskId = finishedTask("hello world", "COMPLETED");

        JsonNode debug = iexec.ok("task", "debug", taskId);
        assertThat(debug.path("onchainData").path("statusName").asText()).isEqualTo("COMPLETED");
        JsonNode offchain = debug.path("offchainData");
        assertThat(offchain.path("task").path("status").asText()).as(debug.toString()).isEqualTo("COMPLETED");
        assertThat(statuses(offchain.path("task").path("statusHistory"), "status"))
                .containsSubsequence("RECEIVED", "INITIALIZED", "RUNNING", "RESULT_UPLOADING", "COMPLETED");
        JsonNode replicate = offchain.path("replicates").get(0);
        assertThat(replicate.path("worker").asText()).isEqualToIgnoringCase(info.account("worker").address());
        assertThat(replicate.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(replicate.path("exitCode").asInt(-1)).isZero();
        assertThat(statuses(replicate.path("statusHistory"), "status")).containsSubsequence("CREATED", "COMPUTING",
                "COMPUTED", "CONTRIBUTE_AND_FINALIZE_DONE", "COMPLETED");
        assertThat(debug.has("appLogs")).as("logs only with --logs").isFalse();

        JsonNode withLogs = iexec.ok("task", "debug", taskId, "--logs");
        JsonNode logs = withLogs.path("appLogs");
        assertThat(logs).as(withLogs.toString()).hasSize(1);
        assertThat(logs.get(0).path("worker").asText()).isEqualToIgnoringCase(info.account("worker").address());
        assertThat(logs.get(0).path("stdout").asText()).isEqualTo("devnet CLI test app, task " + taskId + "\n");
        assertThat(iexec.text("task", "debug", taskId, "--logs")).contains("App logs:")
                .contains("devnet CLI test app, task " + taskId);
    }

    @Test
    void taskDebugShowsTheFailureAndTheMaskedStderrOfAFailedTeeTask() throws Exception {
        String taskId = finishedTask("fail", "FAILED");

        JsonNode debug = iexec.ok("task", "debug", taskId, "--logs");
        JsonNode offchain = debug.path("offchainData");
        assertThat(offchain.path("task").path("status").asText()).as(debug.toString()).isEqualTo("FAILED");
        JsonNode replicate = offchain.path("replicates").get(0);
        assertThat(replicate.path("status").asText()).isEqualTo("FAILED");
        assertThat(replicate.path("exitCode").asInt()).isEqualTo(3);
        assertThat(replicate.path("statusHistory").toString()).contains("\"COMPUTE_FAILED\"")
                .contains("\"cause\":\"APP_COMPUTE_FAILED\"");
        JsonNode logs = debug.path("appLogs").get(0);
        assertThat(logs.path("stdout").asText()).contains("devnet CLI test app");
        assertThat(logs.path("stderr").asText()).isEqualTo("cannot go on with ***\n");
        assertThat(debug.toString()).doesNotContain("someone@example.org");
    }

    @Test
    void anotherWalletGetsTheTaskViewButNotTheLogs(@TempDir Path otherProject) throws Exception {
        String taskId = finishedTask("hello world", "COMPLETED");
        DevnetInfo.Account other = info.account("deployer");
        IexecCli stranger = IexecCli.in(otherProject);
        Files.writeString(otherProject.resolve("chain.json"), IexecCliConfig.chainJson(info));
        String[] importLine = IexecCliConfig.walletImportCommand(other).split(" ");
        stranger.ok(List.of(importLine).subList(1, importLine.length).toArray(String[]::new));

        JsonNode debug = stranger.ok("task", "debug", taskId, "--logs");
        assertThat(debug.path("offchainData").path("task").path("status").asText()).isEqualTo("COMPLETED");
        assertThat(debug.has("appLogs")).as(debug.toString()).isFalse();
        assertThat(stranger.text("task", "debug", taskId, "--logs"))
                .contains("Only task requester").doesNotContain("devnet CLI test app");

        // and the workerpool API itself refuses them, whatever the client does
        String api = info.compass();
        var strangerKey = org.web3j.crypto.Credentials.create(other.privateKey()).getEcKeyPair();
        assertThat(logsStatus(api, taskId, authorization(api, other.address(), strangerKey))).isEqualTo(403);
        String requester = info.account("user").address();
        String forged = authorization(api, requester, strangerKey);
        forged = forged.substring(0, forged.lastIndexOf('_') + 1) + requester;
        assertThat(logsStatus(api, taskId, forged)).isEqualTo(401);
        var requesterKey = org.web3j.crypto.Credentials.create(info.account("user").privateKey()).getEcKeyPair();
        assertThat(logsStatus(api, taskId, authorization(api, requester, requesterKey))).isEqualTo(200);
    }

    /** Runs the app with these arguments and waits for its task to end on chain with {@code status}. */
    private String finishedTask(String appArgs, String status) throws Exception {
        assumeTrue(Devnet.componentInstalled(DevnetComponent.WORKERPOOL), "WAITING FOR THE WORKER");
        buildAppImage();
        String dealId = iexec.ok(runArgs(false, appArgs)).path("deals").get(0).path("dealid").asText();
        JsonNode tasks = iexec.ok("deal", "show", dealId).path("deal").path("tasks");
        String taskId = (tasks.isArray() ? tasks.get(0) : tasks.path("0")).asText();
        assertThat(taskId).as(tasks.toString()).startsWith("0x");
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        String last = "";
        while (System.nanoTime() < until) {
            last = iexec.ok("task", "show", taskId).path("task").path("statusName").asText();
            if (last.equals(status)) {
                return taskId;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("task " + taskId + " is " + last + ", never " + status);
    }

    private static List<String> statuses(JsonNode list, String field) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    private String authorization(String api, String address, org.web3j.crypto.ECKeyPair key) throws Exception {
        JsonNode challenge = JSON.readTree(get(api + "/tasks/logs/challenge?chainId=" + info.chainId()
                + "&address=" + address, null).body());
        assertThat(challenge.path("domain").path("name").asText()).isEqualTo("iExec Core");
        return dev.teeflow.protocol.sign.WorkerpoolChallenge.authorization(info.chainId(),
                challenge.path("message").path("challenge").asText(), key);
    }

    private static int logsStatus(String api, String taskId, String authorization) throws Exception {
        return get(api + "/tasks/" + taskId + "/logs", authorization).statusCode();
    }

    private static java.net.http.HttpResponse<String> get(String url, String authorization) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** The app image, built offline: Debian's busybox-static in a rootfs, {@code docker import}ed. */
    private static synchronized void buildAppImage() throws Exception {
        if (appImageBuilt) {
            return;
        }
        appImageBuilt = true;
        String image = System.getenv().getOrDefault("TEEFLOW_DEVNET_TEST_APP_IMAGE", APP_IMAGE);
        if (!image.equals(APP_IMAGE)) {
            return; // provided by the environment
        }
        assertThat(Path.of("/bin/busybox")).as("the test app needs Debian's busybox-static (/bin/busybox)").exists();
        Path root = Files.createTempDirectory("devnet-cli-app");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        for (String applet : new String[] {"sh", "cat", "echo", "printf"}) {
            Files.createSymbolicLink(root.resolve("bin/" + applet), Path.of("busybox"));
        }
        Files.writeString(root.resolve("app.sh"), APP_SCRIPT);
        Process p = new ProcessBuilder("bash", "-c", "tar --numeric-owner -C " + root + " -c . | docker import "
                + "--change 'ENV PATH=/bin' --change 'ENTRYPOINT [\"/bin/sh\",\"/app.sh\"]' - " + APP_IMAGE
                + " && rm -rf " + root).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("docker import of the test app: " + out).isZero();
    }

    private static String zipEntry(Path zip, String name) throws Exception {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(name)) {
                    return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError(name + " not in " + zip);
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static List<String> zipEntries(Path zip) throws Exception {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
