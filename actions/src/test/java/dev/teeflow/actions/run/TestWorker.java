package dev.teeflow.actions.run;

import dev.teeflow.devnet.chain.DevAccounts;
import dev.teeflow.devnet.chain.DevChain;
import dev.teeflow.devnet.sms.SecretReader;
import dev.teeflow.devnet.storage.StorageServer;
import dev.teeflow.protocol.chain.Deal;
import dev.teeflow.protocol.chain.PocoHub;
import dev.teeflow.protocol.chain.TxSender;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * A TEST STAND-IN for the devnet workerpool (used until the worker branch is merged): watches the hub for
 * deals, starts their tasks as the scheduler and finishes them as the worker with contributeAndFinalize,
 * uploading a result zip (encrypted for the beneficiary when the params ask) to the storage server. It runs
 * no app: the result says whether requester secret 1 is "alice@example.org", like the email checker.
 * Deals whose params contain "--fail" are left alone.
 */
final class TestWorker implements AutoCloseable {
    static final String COMPROMISED = "This email is compromised!";
    static final String SAFE = "This email is safe!";

    private final DevChain chain;
    private final SecretReader sms;
    private final StorageServer storage;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Throwable failure;

    TestWorker(DevChain chain, SecretReader sms, StorageServer storage) {
        this.chain = chain;
        this.sms = sms;
        this.storage = storage;
        this.thread = new Thread(this::loop, "test-worker");
        thread.setDaemon(true);
        thread.start();
    }

    Throwable failure() {
        return failure;
    }

    /** Every deal the hub ever made (OrdersMatched logs). */
    static List<String> deals(DevChain chain) throws Exception {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.ZERO), DefaultBlockParameterName.LATEST,
                chain.manifest().hub()).addSingleTopic(PocoHub.ORDERS_MATCHED_TOPIC);
        List<String> out = new ArrayList<>();
        for (EthLog.LogResult<?> r : chain.web3j().ethGetLogs(filter).send().getLogs()) {
            out.add(Numeric.cleanHexPrefix(((Log) r.get()).getData()).substring(0, 64));
        }
        return out;
    }

    private void loop() {
        while (!closed) {
            try {
                for (String raw : deals(chain)) {
                    String dealId = "0x" + raw;
                    if (seen.add(dealId)) {
                        finish(dealId);
                    }
                }
                Thread.sleep(150);
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    private void finish(String dealId) throws Exception {
        PocoHub hub = chain.hub();
        Deal deal = hub.viewDeal(dealId);
        if (deal.params().contains("--fail")) {
            return;
        }
        TxSender scheduler = chain.sender(DevAccounts.SCHEDULER);
        TxSender worker = chain.sender(DevAccounts.WORKER);
        for (long i = 0; i < deal.botSize().longValueExact(); i++) {
            long index = deal.botFirst().longValueExact() + i;
            hub.initialize(dealId, index, scheduler, h -> { });
            String taskId = PocoHub.taskId(dealId, index);
            String secret = sms.requesterSecret(deal.requester(), "my_email").orElse("");
            String answer = secret.equals("alice@example.org") ? COMPROMISED : SAFE;
            byte[] zip = zip(List.of("computed.json", "result.txt", "task-index.txt"), List.of(
                    "{\"deterministic-output-path\":\"/iexec_out/result.txt\"}".getBytes(StandardCharsets.UTF_8),
                    answer.getBytes(StandardCharsets.UTF_8), String.valueOf(i).getBytes(StandardCharsets.UTF_8)));
            if (deal.params().contains("\"iexec_result_encryption\":true")) {
                String pem = new String(Base64.getDecoder().decode(
                        sms.web2Secret(deal.beneficiary(), DealStep.RESULT_KEY_SECRET).orElseThrow()), StandardCharsets.UTF_8);
                zip = encrypt(zip, pem);
            }
            String location = "/ipfs/" + storage.put(zip);
            byte[] results = ("{\"storage\":\"ipfs\",\"location\":\"" + location + "\"}").getBytes(StandardCharsets.UTF_8);
            String digest = Numeric.toHexString(Hash.sha256(answer.getBytes(StandardCharsets.UTF_8)));
            // a TEE deal (tag bit 0) is finalized with an enclave's signature, any other without (zero challenge)
            boolean tee = Numeric.toBigInt(deal.tag()).testBit(0);
            ECKeyPair enclave = Keys.createEcKeyPair();
            String enclaveAddress = tee ? Keys.toChecksumAddress(Keys.getAddress(enclave)) : "0x" + "0".repeat(40);
            byte[] task = Numeric.hexStringToByteArray(taskId);
            byte[] workerBytes = Numeric.hexStringToByteArray(worker.address());
            byte[] d = Numeric.hexStringToByteArray(digest);
            byte[] resultHash = Hash.sha3(concat(task, d));
            byte[] resultSeal = Hash.sha3(concat(workerBytes, task, d));
            byte[] enclaveSign = sign(Hash.sha3(concat(resultHash, resultSeal)), enclave);
            byte[] authorization = sign(Hash.sha3(concat(workerBytes, task, Numeric.hexStringToByteArray(enclaveAddress))),
                    DevAccounts.credentials(DevAccounts.SCHEDULER).getEcKeyPair());
            hub.contributeAndFinalize(taskId, digest, results, new byte[0], enclaveAddress, tee ? enclaveSign : new byte[0], authorization,
                    worker, h -> { });
        }
    }

    static byte[] zip(List<String> names, List<byte[]> contents) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (int i = 0; i < names.size(); i++) {
                z.putNextEntry(new ZipEntry(names.get(i)));
                z.write(contents.get(i));
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** The post-compute's format: zip of iexec_out.zip.aes (IV + AES-256-CBC) and aes-key.rsa (RSA PKCS#1 v1.5). */
    static byte[] encrypt(byte[] plainZip, String publicPem) throws Exception {
        byte[] key = new byte[32];
        byte[] iv = new byte[16];
        SecureRandom random = new SecureRandom();
        random.nextBytes(key);
        random.nextBytes(iv);
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        byte[] body = concat(iv, aes.doFinal(plainZip));
        String b64 = publicPem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
        Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        rsa.init(Cipher.ENCRYPT_MODE, pub);
        return zip(List.of(ResultDecryptor.DATA_ENTRY, ResultDecryptor.KEY_ENTRY), List.of(body, rsa.doFinal(key)));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] sign(byte[] hash, ECKeyPair key) {
        Sign.SignatureData sig = Sign.signPrefixedMessage(hash, key);
        return concat(sig.getR(), sig.getS(), sig.getV());
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(5000);
    }
}
