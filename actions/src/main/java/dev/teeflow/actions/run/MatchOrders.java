package dev.teeflow.actions.run;

import dev.teeflow.protocol.order.AppOrder;
import dev.teeflow.protocol.order.DatasetOrder;
import dev.teeflow.protocol.order.PocoOrder;
import dev.teeflow.protocol.order.RequestOrder;
import dev.teeflow.protocol.order.WorkerpoolOrder;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** ABI calls of the hub that the run steps need and {@code PocoHub} does not have: matchOrders, viewConsumed, claim. */
final class MatchOrders {
    static final String APP = "(address,uint256,uint256,bytes32,address,address,address,bytes32,bytes)";
    static final String POOL = "(address,uint256,uint256,bytes32,uint256,uint256,address,address,address,bytes32,bytes)";
    static final String REQUEST = "(address,uint256,address,uint256,address,uint256,address,uint256,bytes32,uint256,"
            + "uint256,address,address,string,bytes32,bytes)";
    static final String SIGNATURE = "matchOrders(" + APP + "," + APP + "," + POOL + "," + REQUEST + ")";

    private MatchOrders() {
    }

    /** The calldata of {@code matchOrders(app, dataset, workerpool, request)}; {@code dataset} null = no dataset. */
    static String calldata(AppOrder app, DatasetOrder dataset, WorkerpoolOrder pool, RequestOrder request) {
        DynamicStruct a = new DynamicStruct(addr(app.app()), uint(app.appprice()), uint(app.volume()), b32(app.tag()),
                addr(app.datasetrestrict()), addr(app.workerpoolrestrict()), addr(app.requesterrestrict()),
                b32(app.salt()), sign(app));
        DynamicStruct d = dataset == null
                ? new DynamicStruct(addr(PocoOrder.NULL_ADDRESS), uint(BigInteger.ZERO), uint(BigInteger.ZERO),
                        b32(PocoOrder.NULL_BYTES32), addr(PocoOrder.NULL_ADDRESS), addr(PocoOrder.NULL_ADDRESS),
                        addr(PocoOrder.NULL_ADDRESS), b32(PocoOrder.NULL_BYTES32), new DynamicBytes(new byte[0]))
                : new DynamicStruct(addr(dataset.dataset()), uint(dataset.datasetprice()), uint(dataset.volume()),
                        b32(dataset.tag()), addr(dataset.apprestrict()), addr(dataset.workerpoolrestrict()),
                        addr(dataset.requesterrestrict()), b32(dataset.salt()), sign(dataset));
        DynamicStruct w = new DynamicStruct(addr(pool.workerpool()), uint(pool.workerpoolprice()), uint(pool.volume()),
                b32(pool.tag()), uint(pool.category()), uint(pool.trust()), addr(pool.apprestrict()),
                addr(pool.datasetrestrict()), addr(pool.requesterrestrict()), b32(pool.salt()), sign(pool));
        DynamicStruct r = new DynamicStruct(addr(request.app()), uint(request.appmaxprice()), addr(request.dataset()),
                uint(request.datasetmaxprice()), addr(request.workerpool()), uint(request.workerpoolmaxprice()),
                addr(request.requester()), uint(request.volume()), b32(request.tag()), uint(request.category()),
                uint(request.trust()), addr(request.beneficiary()), addr(request.callback()),
                new Utf8String(request.params()), b32(request.salt()), sign(request));
        return call(SIGNATURE, a, d, w, r);
    }

    /** {@code viewConsumed(bytes32 orderHash)}. */
    static String viewConsumed(String orderHash) {
        return call("viewConsumed(bytes32)", b32(orderHash));
    }

    /** {@code claim(bytes32 taskid)}: the refund of a task past its deadline. */
    static String claim(String taskId) {
        return call("claim(bytes32)", b32(taskId));
    }

    /** dealid = keccak256(requestHash || consumed-before). */
    static String dealId(String requestHash, BigInteger consumedBefore) {
        byte[] packed = new byte[64];
        System.arraycopy(Numeric.hexStringToByteArray(requestHash), 0, packed, 0, 32);
        System.arraycopy(Numeric.toBytesPadded(consumedBefore, 32), 0, packed, 32, 32);
        return Numeric.toHexString(Hash.sha3(packed));
    }

    private static String call(String signature, Type<?>... args) {
        String selector = Numeric.toHexString(Hash.sha3(signature.getBytes(StandardCharsets.UTF_8))).substring(0, 10);
        return selector + Numeric.cleanHexPrefix(FunctionEncoder.encodeConstructor(List.of(args)));
    }

    private static Address addr(String a) {
        return new Address(a == null ? PocoOrder.NULL_ADDRESS : a);
    }

    private static Uint256 uint(BigInteger v) {
        return new Uint256(v == null ? BigInteger.ZERO : v);
    }

    private static Bytes32 b32(String hex) {
        return new Bytes32(Numeric.hexStringToByteArray(hex == null ? PocoOrder.NULL_BYTES32 : hex));
    }

    private static DynamicBytes sign(PocoOrder o) {
        return new DynamicBytes(o.sign() == null ? new byte[0] : Numeric.hexStringToByteArray(o.sign()));
    }
}
