package dev.teeflow.devnet.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.protocol.chain.Deal;
import dev.teeflow.protocol.chain.PocoHub;
import dev.teeflow.protocol.chain.Task;
import dev.teeflow.protocol.chain.TaskStatus;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs one task the way iExec's scheduler + worker + TEE pre/post-compute do, with the TEE simulated:
 * initialize, fetch and check the dataset, decrypt it with the SMS key, gather input files and secrets,
 * run the app container, package (and maybe encrypt) the result, upload it, contributeAndFinalize.
 * Any failure ends in a FAILED task on chain (devnet time travel + claim).
 */
final class TaskRunner {
    static final String RESULT_KEY_SECRET = "iexec-result-encryption-public-key";
    private static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkerpoolConfig config;
    private final PoolChain chain;
    private final AppContainers docker;
    private final SimulatedEnclave enclave;
    private final TaskBoard board;
    private final java.util.Queue<String> pendingClaims = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    TaskRunner(WorkerpoolConfig config, PoolChain chain, AppContainers docker, SimulatedEnclave enclave, TaskBoard board) {
        this.config = config;
        this.chain = chain;
        this.docker = docker;
        this.enclave = enclave;
        this.board = board;
    }

    private record Outcome(int exitCode, String logTail, String digest, String location) {
    }

    void run(String dealId, long index) {
        String taskId = PocoHub.taskId(dealId, index);
        long start = System.nanoTime();
        board.put(TaskReport.received(taskId, dealId, index));
        Task task = chain.hub().viewTask(taskId);
        if (task.status() == TaskStatus.UNSET) {
            try {
                chain.hub().initialize(dealId, index, chain.scheduler(), h -> { });
            } catch (RuntimeException e) {
                board.update(taskId, r -> r.failed("NOT_INITIALIZED", new TaskFailure("initialize failed: " + e.getMessage())));
                log("scheduler cannot initialize task " + taskId + ": " + e.getMessage());
                return;
            }
            log("scheduler initialized task " + taskId + " (deal " + dealId + ", index " + index + ")");
        } else if (task.status() != TaskStatus.ACTIVE || !task.contributors().isEmpty()) {
            board.update(taskId, r -> r.withStatus(task.status().name()));
            log("task " + taskId + " is already " + task.status() + " on chain: not running it again");
            return;
        }
        board.update(taskId, r -> r.withStatus("INITIALIZED"));
        Path work = config.dataDir().resolve("tasks").resolve(taskId);
        try {
            Deal deal = chain.hub().viewDeal(dealId);
            Outcome outcome = execute(taskId, deal, index, work);
            contribute(taskId, deal, outcome);
            board.update(taskId, r -> r.completed(outcome.exitCode(), outcome.logTail(), outcome.digest(), outcome.location()));
            log("task " + taskId + " COMPLETED (simulated TEE) in " + millis(start) + " ms: digest " + outcome.digest()
                    + ", result " + outcome.location());
        } catch (TaskFailure f) {
            fail(taskId, f, start);
        } catch (IOException | RuntimeException e) {
            fail(taskId, new TaskFailure("workerpool error: " + e.getMessage(), e), start);
        } finally {
            deleteTree(work.resolve("iexec_in")); // the decrypted dataset never stays on disk
        }
    }

    private Outcome execute(String taskId, Deal deal, long index, Path work) throws IOException {
        deleteTree(work);
        Path in = Files.createDirectories(work.resolve("iexec_in"));
        Path out = Files.createDirectories(work.resolve("iexec_out"));
        Files.setPosixFilePermissions(in, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx")); // any app user may write
        JsonNode params = params(deal.params());
        SecretMasker masker = new SecretMasker();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("IEXEC_TASK_ID", taskId);
        env.put("IEXEC_IN", "/iexec_in");
        env.put("IEXEC_OUT", "/iexec_out");
        env.put("IEXEC_BOT_SIZE", deal.botSize().toString());
        env.put("IEXEC_BOT_FIRST_INDEX", deal.botFirst().toString());
        env.put("IEXEC_BOT_TASK_INDEX", Long.toString(index));
        env.put("IEXEC_INPUT_FILES_FOLDER", "/iexec_in");

        String dataset = deal.dataset().pointer();
        if (!dataset.equalsIgnoreCase(ZERO_ADDRESS)) {
            prepareDataset(dataset, in, masker);
            env.put("IEXEC_DATASET_ADDRESS", dataset);
            env.put("IEXEC_DATASET_FILENAME", dataset);
        } else {
            env.put("IEXEC_DATASET_ADDRESS", ZERO_ADDRESS);
        }
        List<String> inputs = inputFiles(params);
        env.put("IEXEC_INPUT_FILES_NUMBER", Integer.toString(inputs.size()));
        for (int i = 0; i < inputs.size(); i++) {
            String url = inputs.get(i);
            String name = "0x" + HexFormat.of().formatHex(DatasetCipher.sha256(url.getBytes(StandardCharsets.UTF_8)));
            Files.write(in.resolve(name), download(url, "input file " + (i + 1)));
            env.put("IEXEC_INPUT_FILE_NAME_" + (i + 1), name);
        }
        requesterSecrets(params, deal.requester(), env, masker);
        config.secrets().appDeveloperSecret(deal.app().pointer()).ifPresent(s -> {
            masker.add(s);
            env.put("IEXEC_APP_DEVELOPER_SECRET", s);
        });
        String storage = params.path("iexec_result_storage_provider").asText("ipfs");
        if (!storage.isBlank() && !storage.equals("ipfs")) {
            throw new TaskFailure("iexec_result_storage_provider " + storage + " is not available on the devnet (only ipfs)");
        }
        boolean encrypt = params.path("iexec_result_encryption").asBoolean(false)
                || "true".equalsIgnoreCase(params.path("iexec_result_encryption").asText(""));
        String publicKey = null;
        if (encrypt) {
            publicKey = config.secrets().web2Secret(deal.beneficiary(), RESULT_KEY_SECRET).orElseThrow(() ->
                    new TaskFailure("iexec_result_encryption is true but the beneficiary " + deal.beneficiary()
                            + " has no " + RESULT_KEY_SECRET + " in the SMS (iexec result push-encryption-key)"));
        }

        String image = chain.app(deal.app().pointer()).multiaddr();
        docker.ensureImage(image, this::log);
        List<String> command;
        try {
            command = ShellWords.split(params.path("iexec_args").asText(""));
        } catch (IllegalArgumentException e) {
            throw new TaskFailure(e.getMessage());
        }
        long seconds = chain.hub().viewCategory(deal.category().longValueExact()).workClockTimeRef();
        log("task " + taskId + ": running app " + image + " (simulated TEE: plain container, no enclave), "
                + "time limit " + seconds + " s");
        board.update(taskId, r -> r.withStatus("RUNNING"));
        long appStart = System.nanoTime();
        AppContainers.Run run = docker.run(taskId, image, command, env, in, out, Duration.ofSeconds(seconds));
        String tail = masker.mask(lastLines(run.logs(), AppContainers.LOG_TAIL_LINES));
        board.logs(taskId, new TaskBoard.AppLogs(masker.mask(run.stdout()), masker.mask(run.stderr())));
        log("task " + taskId + ": app exited with code " + run.exitCode() + " after " + millis(appStart) + " ms");
        if (run.timedOut()) {
            throw new TaskFailure("the app ran longer than the category's limit of " + seconds + " s and was stopped",
                    null, tail, null);
        }
        if (run.exitCode() != 0) {
            throw new TaskFailure("the app exited with code " + run.exitCode(), run.exitCode(), tail, null);
        }
        Path zip = work.resolve("iexec_out.zip");
        try {
            ResultPackager.refuseLinksOut(out);
            ResultPackager.checkFileNames(out);
            String digest = ResultPackager.digest(ResultPackager.deterministicOutput(out));
            ResultPackager.zip(out, zip);
            Path upload = zip;
            if (encrypt) {
                upload = work.resolve("result-encrypted.zip");
                ResultPackager.encrypt(zip, publicKey, upload);
                log("task " + taskId + ": result encrypted for beneficiary " + deal.beneficiary() + " (simulated TEE post-compute)");
            }
            board.update(taskId, r -> r.withStatus("UPLOADING"));
            String id = config.uploader().upload(upload);
            return new Outcome(run.exitCode(), tail, digest, "/ipfs/" + id);
        } catch (TaskFailure f) {
            throw new TaskFailure(f.getMessage(), run.exitCode(), tail, f);
        } finally {
            if (encrypt) { // only the beneficiary may read an encrypted result: no plaintext stays on the worker
                deleteTree(out);
                Files.deleteIfExists(zip);
            }
        }
    }

    private void prepareDataset(String dataset, Path in, SecretMasker masker) throws IOException {
        PoolChain.Asset asset = chain.dataset(dataset);
        byte[] encrypted = download(resolve(asset.multiaddr()), "dataset " + dataset);
        String actual = DatasetCipher.checksum(encrypted);
        if (!actual.equals(asset.checksum().toLowerCase(Locale.ROOT))) {
            throw new TaskFailure("dataset checksum mismatch for " + dataset + ": the file at " + asset.multiaddr()
                    + " has sha256 " + actual + " but the dataset's on-chain checksum is " + asset.checksum());
        }
        String key = config.secrets().datasetKey(dataset).orElseThrow(() -> new TaskFailure(
                "the SMS has no key for dataset " + dataset + " (iexec dataset push-secret)"));
        masker.add(key);
        byte[] plain = DatasetCipher.decrypt(encrypted, key, dataset);
        try {
            Files.write(in.resolve(dataset), plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        log("dataset " + dataset + " checked (" + actual + ") and decrypted with its SMS key (simulated TEE pre-compute)");
    }

    private void requesterSecrets(JsonNode params, String requester, Map<String, String> env, SecretMasker masker) {
        JsonNode secrets = params.path("iexec_secrets");
        if (secrets.isMissingNode() || secrets.isNull()) {
            return;
        }
        if (!secrets.isObject()) {
            throw new TaskFailure("iexec_secrets must be an object like {\"1\":\"my-secret-name\"}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = secrets.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            String name = e.getValue().asText("");
            if (!k.matches("[1-9][0-9]*")) {
                throw new TaskFailure("iexec_secrets key \"" + k + "\" must be a positive number");
            }
            String value = config.secrets().requesterSecret(requester, name).orElseThrow(() -> new TaskFailure(
                    "requester secret \"" + name + "\" of " + requester + " is not in the SMS (iexec requester push-secret "
                            + name + ")"));
            masker.add(value);
            env.put("IEXEC_REQUESTER_SECRET_" + k, value);
        }
    }

    private void contribute(String taskId, Deal deal, Outcome outcome) {
        String worker = chain.worker().address();
        boolean tee = Numeric.toBigInt(deal.tag()).testBit(0);
        String challenge = tee ? enclave.address() : ZERO_ADDRESS;
        byte[] enclaveSign = tee ? enclave.sign(taskId, outcome.digest(), worker) : new byte[0];
        byte[] authorization = SimulatedEnclave.authorize(worker, taskId, challenge, config.scheduler().getEcKeyPair());
        byte[] results = ("{\"storage\":\"ipfs\",\"location\":\"" + outcome.location() + "\"}").getBytes(StandardCharsets.UTF_8);
        chain.hub().contributeAndFinalize(taskId, outcome.digest(), results, new byte[0], challenge, enclaveSign,
                authorization, chain.worker(), h -> { });
    }

    private void fail(String taskId, TaskFailure failure, long start) {
        board.update(taskId, r -> r.failed("FAILING", failure));
        log("task " + taskId + " failed (simulated TEE) after " + millis(start) + " ms: " + failure.getMessage()
                + (failure.exitCode() == null ? "" : " [exit code " + failure.exitCode() + "]")
                + "; it will be failed on chain (devnet time travel + claim) once no other task is running");
        pendingClaims.add(taskId);
    }

    boolean hasPendingClaims() {
        return !pendingClaims.isEmpty();
    }

    /**
     * Fails the failed tasks on chain: DEVNET ONLY time travel past their final deadline, then claim()
     * (FAILED, the requester is refunded). Called only while no other task runs or waits, because moving the
     * clock also moves every other active task past its contribution deadline.
     */
    void claimPending() {
        List<String> tasks = new java.util.ArrayList<>();
        for (String t = pendingClaims.poll(); t != null; t = pendingClaims.poll()) {
            tasks.add(t);
        }
        long latestDeadline = 0;
        List<String> claimable = new java.util.ArrayList<>();
        for (String taskId : tasks) {
            try {
                Task task = chain.hub().viewTask(taskId);
                if (task.status() == TaskStatus.ACTIVE || task.status() == TaskStatus.REVEALING) {
                    claimable.add(taskId);
                    latestDeadline = Math.max(latestDeadline, task.finalDeadline().longValueExact());
                } else {
                    board.update(taskId, r -> r.withStatus(task.status().name()));
                }
            } catch (RuntimeException e) {
                log("task " + taskId + ": cannot read it to fail it on chain: " + e.getMessage());
            }
        }
        if (claimable.isEmpty()) {
            return;
        }
        try {
            chain.travelPast(latestDeadline);
        } catch (RuntimeException e) {
            log("cannot move the devnet clock to fail " + claimable + ": " + e.getMessage());
            pendingClaims.addAll(claimable);
            return;
        }
        for (String taskId : claimable) {
            try {
                chain.claim(taskId);
                board.update(taskId, r -> r.withStatus("FAILED"));
                log("task " + taskId + " FAILED on chain (claimed after devnet time travel); the requester is refunded");
            } catch (RuntimeException e) {
                log("task " + taskId + ": claim failed: " + e.getMessage());
            }
        }
    }

    private JsonNode params(String raw) {
        if (raw == null || raw.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(raw);
            if (node == null || !node.isObject()) {
                throw new TaskFailure("the deal's params are not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new TaskFailure("the deal's params are not valid JSON");
        }
    }

    private static List<String> inputFiles(JsonNode params) {
        JsonNode files = params.path("iexec_input_files");
        if (files.isMissingNode() || files.isNull()) {
            return List.of();
        }
        if (!files.isArray()) {
            throw new TaskFailure("iexec_input_files must be a list of URLs");
        }
        return Stream.iterate(0, i -> i < files.size(), i -> i + 1).map(i -> files.get(i).asText()).toList();
    }

    private URI resolve(String multiaddr) {
        if (multiaddr.startsWith("/ipfs/")) {
            if (config.ipfsGateway() == null) {
                throw new TaskFailure("dataset multiaddr " + multiaddr + " needs an IPFS gateway, and the workerpool has none");
            }
            return URI.create(config.ipfsGateway().toString().replaceAll("/+$", "") + multiaddr);
        }
        if (multiaddr.startsWith("http://") || multiaddr.startsWith("https://")) {
            return URI.create(multiaddr);
        }
        throw new TaskFailure("dataset multiaddr " + multiaddr + " is neither an http(s) URL nor /ipfs/<cid>");
    }

    private byte[] download(String url, String what) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new TaskFailure(what + " URL " + url + " is not a URL");
        }
        return download(uri, what);
    }

    private byte[] download(URI uri, String what) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new TaskFailure("cannot download " + what + " from " + uri + ": HTTP " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new TaskFailure("cannot download " + what + " from " + uri + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFailure("interrupted while downloading " + what);
        }
    }

    static String lastLines(String text, int n) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String[] lines = text.split("\r?\n", -1);
        int end = lines.length;
        if (end > 0 && lines[end - 1].isEmpty()) {
            end--;
        }
        return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, end - n), end));
    }

    private void log(String line) {
        config.log().accept("workerpool: " + line);
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

}
