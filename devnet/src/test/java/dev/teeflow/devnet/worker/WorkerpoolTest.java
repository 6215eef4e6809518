package dev.teeflow.devnet.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.devnet.chain.DevAccounts;
import dev.teeflow.devnet.chain.DevChain;
import dev.teeflow.devnet.chain.DevChainConfig;
import dev.teeflow.devnet.sms.RpcOwnerLookup;
import dev.teeflow.devnet.sms.SmsServer;
import dev.teeflow.devnet.storage.StorageServer;
import dev.teeflow.protocol.chain.AppSpec;
import dev.teeflow.protocol.chain.DatasetSpec;
import dev.teeflow.protocol.chain.OrdersMatched;
import dev.teeflow.protocol.chain.PocoHub;
import dev.teeflow.protocol.chain.Task;
import dev.teeflow.protocol.chain.TaskStatus;
import dev.teeflow.protocol.chain.TxSender;
import dev.teeflow.protocol.order.AppOrder;
import dev.teeflow.protocol.order.DatasetOrder;
import dev.teeflow.protocol.order.OrderSigner;
import dev.teeflow.protocol.order.RequestOrder;
import dev.teeflow.protocol.order.WorkerpoolOrder;
import dev.teeflow.protocol.sign.Eip712Domain;
import dev.teeflow.protocol.sms.SmsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole deals on the devnet: real anvil + PoCo, real dockerd, real SMS and storage servers, the devnet
 * workerpool running a busybox app image built locally. Orders are signed in Java and matched by the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerpoolTest {
    private static final String TEE = "0x" + "0".repeat(63) + "1";
    private static final String EMAIL = "alice-secret@example.com";
    private static final String DATA = "hello dataset";
    private static final String APP_ORDER = "(address,uint256,uint256,bytes32,address,address,address,bytes32,bytes)";
    private static final String WORKERPOOL_ORDER =
            "(address,uint256,uint256,bytes32,uint256,uint256,address,address,address,bytes32,bytes)";
    private static final String REQUEST_ORDER =
            "(address,uint256,address,uint256,address,uint256,address,uint256,bytes32,uint256,uint256,address,address,string,bytes32,bytes)";

    private Path tmp;
    private DevChain chain;
    private SmsServer sms;
    private StorageServer storage;
    private Workerpool pool;
    private PocoHub hub;
    private TxSender user;
    private Eip712Domain domain;
    private String app;
    private String dataset;
    private String badChecksumDataset;
    private KeyPair beneficiaryKey;
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        tmp = tempDir;
        TestImages.buildAppImage();
        chain = DevChain.start(DevChainConfig.defaults().withPort(0));
        hub = chain.hub();
        user = chain.sender(DevAccounts.USER);
        domain = Eip712Domain.poco(chain.chainId(), chain.manifest().hub());
        sms = SmsServer.start(tmp.resolve("sms"), 0, new RpcOwnerLookup(chain.rpcUrl()));
        storage = StorageServer.start(tmp.resolve("storage"), 0);
        SmsClient smsClient = new SmsClient(sms.url());
        var userKey = DevAccounts.credentials(DevAccounts.USER).getEcKeyPair();

        String suffix = Long.toHexString(System.nanoTime());
        app = hub.appRegistry().ensureApp(AppSpec.docker(user.address(), "worker-test-app-" + suffix,
                TestImages.APP_IMAGE, "0x" + "ab".repeat(32), new byte[0]), user, h -> { }).address();

        // The dataset, encrypted by the test in iExec's format and served by the storage server.
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        byte[] encrypted = encryptDataset(DATA.getBytes(StandardCharsets.UTF_8), key);
        String url = storage.url() + "/ipfs/" + storage.put(encrypted);
        String checksum = "0x" + HexFormat.of().formatHex(DatasetCipher.sha256(encrypted));
        dataset = hub.datasetRegistry().ensureDataset(new DatasetSpec(user.address(), "worker-test-data-" + suffix,
                url, checksum), user, h -> { }).address();
        badChecksumDataset = hub.datasetRegistry().ensureDataset(new DatasetSpec(user.address(),
                "worker-test-bad-" + suffix, url, "0x" + "cd".repeat(32)), user, h -> { }).address();
        String base64Key = Base64.getEncoder().encodeToString(key);
        smsClient.pushDatasetKey(userKey, dataset, base64Key);
        smsClient.pushDatasetKey(userKey, badChecksumDataset, base64Key);
        smsClient.pushRequesterSecret(userKey, "my_email", EMAIL);

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        beneficiaryKey = rsa.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(beneficiaryKey.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        smsClient.pushWeb2Secret(userKey, TaskRunner.RESULT_KEY_SECRET,
                Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8)));

        pool = new Workerpool(WorkerpoolConfig.forDevnet(chain, sms.secrets(), storage, tmp.resolve("workerpool"))
                .withLog(line -> {
                    logLines.add(line);
                    System.out.println(line);
                })).start();
    }

    @AfterAll
    void stop() throws Exception {
        if (pool != null) {
            pool.close();
        }
        if (storage != null) {
            storage.close();
        }
        if (sms != null) {
            sms.close();
        }
        if (chain != null) {
            chain.close();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("devnet-workerpool"));
        TestImages.run("test -z \"$(docker ps -aq --filter label=" + AppContainers.LABEL + ")\"");
        assertThat(String.join("\n", logLines)).doesNotContain(EMAIL);
    }

    @Test
    void aDealWithDatasetAndRequesterSecretCompletesOnChain() throws Exception {
        long t0 = System.nanoTime();
        String taskId = runDeal(dataset, "{\"iexec_args\":\"ok 'two words' three\",\"iexec_secrets\":{\"1\":\"my_email\"}}");
        Task task = awaitFinal(taskId);
        System.out.println("timing: deal matched -> COMPLETED on chain in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);

        JsonNode results = new ObjectMapper().readTree(task.results());
        assertThat(results.path("storage").asText()).isEqualTo("ipfs");
        byte[] zip = download(results.path("location").asText());
        Map<String, byte[]> entries = unzip(zip);
        assertThat(entries).containsKeys("result.txt", "computed.json");
        String expected = DATA + "|" + EMAIL + "|two words three|" + dataset + "\n";
        assertThat(new String(entries.get("result.txt"), StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(task.resultDigest()).isEqualTo(sha256(entries.get("result.txt")));

        JsonNode api = awaitApi(taskId, "COMPLETED");
        assertThat(api.path("exitCode").asInt()).isZero();
        assertThat(api.path("logTail").asText()).contains("secret is ***").doesNotContain(EMAIL);
        assertThat(api.path("resultLocation").asText()).isEqualTo(results.path("location").asText());
    }

    @Test
    void anEncryptedResultDecryptsWithTheBeneficiaryKey() throws Exception {
        String taskId = runDeal(dataset,
                "{\"iexec_args\":\"ok enc\",\"iexec_secrets\":{\"1\":\"my_email\"},\"iexec_result_encryption\":true}");
        Task task = awaitFinal(taskId);
        assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
        Map<String, byte[]> outer = unzip(download(new ObjectMapper().readTree(task.results()).path("location").asText()));
        assertThat(outer).containsOnlyKeys("iexec_out.zip.aes", "aes-key.rsa");

        Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        rsa.init(Cipher.DECRYPT_MODE, beneficiaryKey.getPrivate());
        byte[] aesKey = rsa.doFinal(outer.get("aes-key.rsa"));
        assertThat(aesKey).hasSize(32);
        byte[] enc = outer.get("iexec_out.zip.aes");
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(Arrays.copyOf(enc, 16)));
        Map<String, byte[]> inner = unzip(aes.doFinal(enc, 16, enc.length - 16));
        assertThat(new String(inner.get("result.txt"), StandardCharsets.UTF_8))
                .isEqualTo(DATA + "|" + EMAIL + "|enc|" + dataset + "\n");
        assertThat(task.resultDigest()).isEqualTo(sha256(inner.get("result.txt")));
        Path taskDir = tmp.resolve("workerpool/tasks/" + taskId);
        assertThat(taskDir.resolve("iexec_out")).as("plaintext result files of an encrypted task").doesNotExist();
        assertThat(taskDir.resolve("iexec_out.zip")).doesNotExist();
    }

    @Test
    void anAppLinkingAHostFileIntoIexecOutFailsAndUploadsNothing() throws Exception {
        String taskId = runDeal(dataset, "{\"iexec_args\":\"leak\",\"iexec_secrets\":{\"1\":\"my_email\"}}");
        assertThat(awaitFinal(taskId).status()).isEqualTo(TaskStatus.FAILED);
        JsonNode api = awaitApi(taskId, "FAILED");
        assertThat(api.path("reason").asText()).contains("symbolic links leading out of /iexec_out").contains("/iexec_out/x");
        assertThat(api.path("resultLocation").asText("")).isEmpty();
        assertThat(tmp.resolve("workerpool/tasks/" + taskId + "/iexec_out.zip")).doesNotExist();
    }

    @Test
    void aFailingAppFailsTheTaskWithExitCodeAndMaskedLogs() throws Exception {
        String taskId = runDeal(dataset, "{\"iexec_args\":\"fail\",\"iexec_secrets\":{\"1\":\"my_email\"}}");
        Task task = awaitFinal(taskId);
        assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
        JsonNode api = awaitApi(taskId, "FAILED");
        assertThat(api.path("exitCode").asInt()).isEqualTo(3);
        assertThat(api.path("reason").asText()).contains("exited with code 3");
        assertThat(api.path("logTail").asText()).contains("boom: cannot handle ***").doesNotContain(EMAIL);
    }

    @Test
    void aFailureDoesNotTimeTravelQueuedTasksPastTheirDeadlines() throws Exception {
        String failing = runDeal(dataset, "{\"iexec_args\":\"fail\",\"iexec_secrets\":{\"1\":\"my_email\"}}");
        String good = runDeal(dataset, "{\"iexec_args\":\"ok after\",\"iexec_secrets\":{\"1\":\"my_email\"}}");
        assertThat(awaitFinal(good).status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(awaitFinal(failing).status()).isEqualTo(TaskStatus.FAILED);
    }

    @Test
    void aMissingComputedJsonFailsTheTask() throws Exception {
        String taskId = runDeal(dataset, "{\"iexec_args\":\"nocomputed\",\"iexec_secrets\":{\"1\":\"my_email\"}}");
        assertThat(awaitFinal(taskId).status()).isEqualTo(TaskStatus.FAILED);
        JsonNode api = awaitApi(taskId, "FAILED");
        assertThat(api.path("reason").asText()).contains("computed.json");
        assertThat(api.path("exitCode").asInt()).isZero();
    }

    @Test
    void aWrongDatasetChecksumFailsTheTaskBeforeTheAppRuns() throws Exception {
        String taskId = runDeal(badChecksumDataset, "{\"iexec_args\":\"ok x\",\"iexec_secrets\":{\"1\":\"my_email\"}}");
        assertThat(awaitFinal(taskId).status()).isEqualTo(TaskStatus.FAILED);
        JsonNode api = awaitApi(taskId, "FAILED");
        assertThat(api.path("reason").asText()).contains("dataset checksum mismatch").contains("0x" + "cd".repeat(32));
        assertThat(api.path("exitCode").isNull()).isTrue();
    }

    @Test
    void aMissingRequesterSecretFailsTheTask() throws Exception {
        String taskId = runDeal(dataset, "{\"iexec_args\":\"ok x\",\"iexec_secrets\":{\"1\":\"never_pushed\"}}");
        assertThat(awaitFinal(taskId).status()).isEqualTo(TaskStatus.FAILED);
        assertThat(awaitApi(taskId, "FAILED").path("reason").asText()).contains("never_pushed");
    }

    @Test
    void theTaskApiAnswers404ForAnUnknownTask() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(pool.apiUrl() + "/tasks/0x" + "00".repeat(32)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
    }

    // --- helpers -------------------------------------------------------------------------------

    /** Signs the four orders in Java, matches them, and returns the id of the deal's only task. */
    private String runDeal(String datasetAddress, String params) {
        var userKey = DevAccounts.credentials(DevAccounts.USER).getEcKeyPair();
        var schedulerKey = DevAccounts.credentials(DevAccounts.SCHEDULER).getEcKeyPair();
        String pool = chain.manifest().workerpool();
        AppOrder a = (AppOrder) OrderSigner.sign(new AppOrder(app, BigInteger.ZERO, BigInteger.ONE, TEE, null, null,
                null, null, null), domain, userKey);
        DatasetOrder d = (DatasetOrder) OrderSigner.sign(new DatasetOrder(datasetAddress, BigInteger.ZERO,
                BigInteger.ONE, TEE, null, null, null, null, null), domain, userKey);
        WorkerpoolOrder w = (WorkerpoolOrder) OrderSigner.sign(new WorkerpoolOrder(pool, BigInteger.ZERO, BigInteger.ONE,
                TEE, BigInteger.ZERO, BigInteger.ZERO, null, null, null, null, null), domain, schedulerKey);
        RequestOrder r = (RequestOrder) OrderSigner.sign(new RequestOrder(app, BigInteger.ZERO, datasetAddress,
                BigInteger.ZERO, pool, BigInteger.ZERO, user.address(), BigInteger.ONE, TEE, BigInteger.ZERO,
                BigInteger.ZERO, user.address(), null, params, null, null), domain, userKey);
        DynamicStruct appOrder = new DynamicStruct(new Address(a.app()), new Uint256(a.appprice()), new Uint256(a.volume()),
                b32(a.tag()), new Address(a.datasetrestrict()), new Address(a.workerpoolrestrict()),
                new Address(a.requesterrestrict()), b32(a.salt()), sig(a.sign()));
        DynamicStruct datasetOrder = new DynamicStruct(new Address(d.dataset()), new Uint256(d.datasetprice()),
                new Uint256(d.volume()), b32(d.tag()), new Address(d.apprestrict()), new Address(d.workerpoolrestrict()),
                new Address(d.requesterrestrict()), b32(d.salt()), sig(d.sign()));
        DynamicStruct poolOrder = new DynamicStruct(new Address(w.workerpool()), new Uint256(w.workerpoolprice()),
                new Uint256(w.volume()), b32(w.tag()), new Uint256(w.category()), new Uint256(w.trust()),
                new Address(w.apprestrict()), new Address(w.datasetrestrict()), new Address(w.requesterrestrict()),
                b32(w.salt()), sig(w.sign()));
        DynamicStruct requestOrder = new DynamicStruct(new Address(r.app()), new Uint256(r.appmaxprice()),
                new Address(r.dataset()), new Uint256(r.datasetmaxprice()), new Address(r.workerpool()),
                new Uint256(r.workerpoolmaxprice()), new Address(r.requester()), new Uint256(r.volume()), b32(r.tag()),
                new Uint256(r.category()), new Uint256(r.trust()), new Address(r.beneficiary()),
                new Address(r.callback()), new Utf8String(r.params()), b32(r.salt()), sig(r.sign()));
        String signature = "matchOrders(" + APP_ORDER + "," + APP_ORDER + "," + WORKERPOOL_ORDER + "," + REQUEST_ORDER + ")";
        String data = Numeric.toHexString(Hash.sha3(signature.getBytes(StandardCharsets.UTF_8))).substring(0, 10)
                + Numeric.cleanHexPrefix(FunctionEncoder.encodeConstructor(
                List.<Type>of(appOrder, datasetOrder, poolOrder, requestOrder)));
        TransactionReceipt receipt = user.send(hub.address(), data, h -> { });
        List<OrdersMatched> matched = hub.ordersMatched(receipt);
        assertThat(matched).hasSize(1);
        return PocoHub.taskId(matched.get(0).dealId(), 0);
    }

    private Task awaitFinal(String taskId) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            Task t = hub.viewTask(taskId);
            if (t.status() == TaskStatus.COMPLETED || t.status() == TaskStatus.FAILED) {
                return t;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("task " + taskId + " did not finish within 120 s; workerpool log:\n"
                + String.join("\n", logLines));
    }

    private JsonNode awaitApi(String taskId, String status) throws Exception {
        JsonNode last = null;
        for (int i = 0; i < 50; i++) {
            last = api(taskId);
            if (status.equals(last.path("status").asText())) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("task API never said " + status + " for " + taskId + ": " + last);
    }

    private JsonNode api(String taskId) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(pool.apiUrl() + "/devnet/tasks/" + taskId)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }

    private byte[] download(String location) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(storage.url() + location)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    static byte[] encryptDataset(byte[] plain, byte[] key) throws Exception {
        byte[] iv = new byte[16];
        new SecureRandom().nextBytes(iv);
        Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        byte[] body = c.doFinal(plain);
        byte[] out = new byte[16 + body.length];
        System.arraycopy(iv, 0, out, 0, 16);
        System.arraycopy(body, 0, out, 16, body.length);
        return out;
    }

    private static String sha256(byte[] data) {
        return "0x" + HexFormat.of().formatHex(DatasetCipher.sha256(data));
    }

    private static Bytes32 b32(String hex) {
        return new Bytes32(Numeric.hexStringToByteArray(hex));
    }

    private static DynamicBytes sig(String hex) {
        return new DynamicBytes(Numeric.hexStringToByteArray(hex));
    }
}
