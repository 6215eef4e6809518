package dev.teeflow.devnet.chain;

import dev.teeflow.protocol.chain.AppSpec;
import dev.teeflow.protocol.chain.Deal;
import dev.teeflow.protocol.chain.OrdersMatched;
import dev.teeflow.protocol.chain.PocoHub;
import dev.teeflow.protocol.chain.Task;
import dev.teeflow.protocol.chain.TaskStatus;
import dev.teeflow.protocol.chain.TxSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole deal on the devnet chain through the typed hub API: orders are presigned on chain (EIP-712
 * order signing is not this package's job), matched, the task initialized by the scheduler and finished
 * by the worker with contributeAndFinalize, scheduler authorization and a simulated enclave signature.
 * Uses the default teeflow cache, so only the very first run deploys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DealLifecycleTest {
    private static final String ZERO = Address.DEFAULT.getValue();
    private static final String APP_ORDER = "(address,uint256,uint256,bytes32,address,address,address,bytes32,bytes)";
    private static final String WORKERPOOL_ORDER =
            "(address,uint256,uint256,bytes32,uint256,uint256,address,address,address,bytes32,bytes)";
    private static final String REQUEST_ORDER =
            "(address,uint256,address,uint256,address,uint256,address,uint256,bytes32,uint256,uint256,address,address,string,bytes32,bytes)";
    private static final byte[] TEE_TAG = Numeric.toBytesPadded(BigInteger.ONE, 32);

    private DevChain chain;

    @BeforeAll
    void start() {
        chain = DevChain.start(DevChainConfig.defaults().withPort(0));
    }

    @AfterAll
    void stop() {
        chain.close();
    }

    @Test
    void aPresignedDealIsMatchedInitializedAndFinalized() {
        PocoHub hub = chain.hub();
        TxSender requester = chain.sender(DevAccounts.USER);
        TxSender scheduler = chain.sender(DevAccounts.SCHEDULER);
        TxSender worker = chain.sender(DevAccounts.WORKER);
        String pool = chain.manifest().workerpool();
        String app = hub.appRegistry().ensureApp(AppSpec.docker(requester.address(), "deal-app-" + System.nanoTime(),
                "registry.local/deal:1", "0x" + "12".repeat(32), new byte[0]), requester, h -> { }).address();

        DynamicStruct appOrder = new DynamicStruct(new Address(app), new Uint256(0), new Uint256(1),
                new Bytes32(TEE_TAG), new Address(ZERO), new Address(ZERO), new Address(ZERO), salt(), new DynamicBytes(new byte[0]));
        DynamicStruct datasetOrder = new DynamicStruct(new Address(ZERO), new Uint256(0), new Uint256(0),
                new Bytes32(new byte[32]), new Address(ZERO), new Address(ZERO), new Address(ZERO),
                new Bytes32(new byte[32]), new DynamicBytes(new byte[0]));
        DynamicStruct poolOrder = new DynamicStruct(new Address(pool), new Uint256(0), new Uint256(1),
                new Bytes32(TEE_TAG), new Uint256(0), new Uint256(0), new Address(ZERO), new Address(ZERO),
                new Address(ZERO), salt(), new DynamicBytes(new byte[0]));
        String params = "{\"iexec_args\":\"hello\"}";
        DynamicStruct requestOrder = new DynamicStruct(new Address(app), new Uint256(0), new Address(ZERO),
                new Uint256(0), new Address(pool), new Uint256(0), new Address(requester.address()), new Uint256(1),
                new Bytes32(TEE_TAG), new Uint256(0), new Uint256(0), new Address(requester.address()),
                new Address(ZERO), new Utf8String(params), salt(), new DynamicBytes(new byte[0]));
        presign(requester, "manageAppOrder((" + APP_ORDER + ",uint8,bytes))", appOrder);
        presign(scheduler, "manageWorkerpoolOrder((" + WORKERPOOL_ORDER + ",uint8,bytes))", poolOrder);
        presign(requester, "manageRequestOrder((" + REQUEST_ORDER + ",uint8,bytes))", requestOrder);

        TransactionReceipt matched = requester.send(hub.address(), call("matchOrders(" + APP_ORDER + "," + APP_ORDER
                + "," + WORKERPOOL_ORDER + "," + REQUEST_ORDER + ")", appOrder, datasetOrder, poolOrder, requestOrder), h -> { });
        List<OrdersMatched> events = hub.ordersMatched(matched);
        assertThat(events).hasSize(1);
        OrdersMatched event = events.get(0);
        String dealId = event.dealId();
        assertThat(dealId).isEqualTo(keccak(Numeric.hexStringToByteArray(event.requestHash()), new byte[32]));
        assertThat(event.volume()).isEqualTo(1);

        Deal deal = hub.viewDeal(dealId);
        assertThat(deal.app().pointer()).isEqualTo(Keys.toChecksumAddress(app));
        assertThat(deal.app().owner()).isEqualTo(requester.address());
        assertThat(deal.workerpool().pointer()).isEqualTo(pool);
        assertThat(deal.workerpool().owner()).isEqualTo(scheduler.address());
        assertThat(deal.requester()).isEqualTo(requester.address());
        assertThat(deal.beneficiary()).isEqualTo(requester.address());
        assertThat(deal.params()).isEqualTo(params);
        assertThat(deal.tag()).isEqualTo(Numeric.toHexString(TEE_TAG));
        assertThat(deal.trust()).isEqualTo(BigInteger.ONE);
        assertThat(deal.botSize()).isEqualTo(BigInteger.ONE);
        assertThat(deal.isEmpty()).isFalse();

        hub.initialize(dealId, 0, scheduler, h -> { });
        String taskId = PocoHub.taskId(dealId, 0);
        Task active = hub.viewTask(taskId);
        assertThat(active.status()).isEqualTo(TaskStatus.ACTIVE);
        assertThat(active.dealId()).isEqualTo(dealId);
        assertThat(active.timeRef()).isEqualTo(BigInteger.valueOf(300));

        ECKeyPair enclave = keyPair();
        String enclaveAddress = Keys.toChecksumAddress(Keys.getAddress(enclave));
        String digest = "0x" + "5a".repeat(32);
        byte[] results = "{\"storage\":\"ipfs\",\"location\":\"/ipfs/QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG\"}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] task = Numeric.hexStringToByteArray(taskId);
        byte[] workerBytes = Numeric.hexStringToByteArray(worker.address());
        byte[] resultHash = Numeric.hexStringToByteArray(keccak(task, Numeric.hexStringToByteArray(digest)));
        byte[] resultSeal = Numeric.hexStringToByteArray(keccak(workerBytes, task, Numeric.hexStringToByteArray(digest)));
        byte[] enclaveSign = personalSign(keccak(resultHash, resultSeal), enclave);
        byte[] authorization = personalSign(keccak(workerBytes, task, Numeric.hexStringToByteArray(enclaveAddress)),
                DevAccounts.credentials(DevAccounts.SCHEDULER).getEcKeyPair());
        hub.contributeAndFinalize(taskId, digest, results, new byte[0], enclaveAddress, enclaveSign, authorization,
                worker, h -> { });

        Task done = hub.viewTask(taskId);
        assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(done.resultDigest()).isEqualTo(digest);
        assertThat(done.results()).isEqualTo(results);
        assertThat(done.contributors()).containsExactly(worker.address());
        assertThat(done.resultsCallback()).isEmpty();
    }

    /** Signs an order on chain (OrderOperation SIGN = 0): matchOrders then accepts it without a signature. */
    private void presign(TxSender owner, String signature, DynamicStruct order) {
        owner.send(chain.manifest().hub(), call(signature,
                new DynamicStruct(order, new Uint8(0), new DynamicBytes(new byte[0]))), h -> { });
    }

    private static String call(String signature, Type<?>... args) {
        return ContractArtifact.selector(signature) + Numeric.cleanHexPrefix(FunctionEncoder.encodeConstructor(List.of(args)));
    }

    private static Bytes32 salt() {
        byte[] salt = new byte[32];
        new SecureRandom().nextBytes(salt);
        return new Bytes32(salt);
    }

    private static String keccak(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return Numeric.toHexString(Hash.sha3(out.toByteArray()));
    }

    /** EIP-191 personal_sign over a 32-byte hash, as r || s || v. */
    private static byte[] personalSign(String hash, ECKeyPair key) {
        Sign.SignatureData sig = Sign.signPrefixedMessage(Numeric.hexStringToByteArray(hash), key);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(sig.getR());
        out.writeBytes(sig.getS());
        out.writeBytes(sig.getV());
        return out.toByteArray();
    }

    private static ECKeyPair keyPair() {
        try {
            return Keys.createEcKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
