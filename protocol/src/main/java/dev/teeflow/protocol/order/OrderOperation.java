package dev.teeflow.protocol.order;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import dev.teeflow.protocol.sign.Eip712Domain;
import dev.teeflow.protocol.sign.Hex;
import dev.teeflow.protocol.sign.Signatures;

/**
 * PoCo's order management ({@code IexecOrderManagement}): {@code manageAppOrder}, {@code manageDatasetOrder},
 * {@code manageWorkerpoolOrder} and {@code manageRequestOrder} take an {@code <Kind>OrderOperation {order,
 * operation, sign}}. {@link #CLOSE} sets the order's consumed volume to its volume, so no deal can use it again
 * (it emits {@code Closed<Kind>Order(orderHash)}); {@link #SIGN} presigns it on chain.
 *
 * <p>Who may call: the order's owner (the asset's {@code owner()}, or the requester of a request order) as the
 * sender, with an empty {@code sign}; or anyone carrying the owner's EIP-712 signature over the operation,
 * {@code <Kind>OrderOperation(<Kind>Order order,uint256 operation)} followed by the order's own type.
 */
public enum OrderOperation {
    SIGN,
    CLOSE;

    /** {@code DatasetOrderOperation(DatasetOrder order,uint256 operation)DatasetOrder(...)}. */
    public static String encodeType(OrderKind kind) {
        String name = kind.type().name();
        return name + "Operation(" + name + " order,uint256 operation)" + kind.type().encodeType();
    }

    public static byte[] typeHash(OrderKind kind) {
        return Hash.sha3(encodeType(kind).getBytes(StandardCharsets.UTF_8));
    }

    /** The EIP-712 digest of this operation on {@code order} (salted), which the owner signs to delegate it. */
    public String hash(PocoOrder order, Eip712Domain domain) {
        return Hex.encode(digest(order, domain));
    }

    /** The owner's signature over this operation (r || s || v), for a sender other than the owner. */
    public String sign(PocoOrder order, Eip712Domain domain, ECKeyPair owner) {
        return Signatures.signDigest(digest(order, domain), owner).toHex();
    }

    /** The hub function's name: {@code manageDatasetOrder}. */
    public static String function(OrderKind kind) {
        return "manage" + kind.type().name();
    }

    /** The ABI signature of the hub function, e.g. {@code manageDatasetOrder(((address,...,bytes),uint8,bytes))}. */
    public static String signature(OrderKind kind) {
        return function(kind) + "((" + OrderAbi.tupleType(kind) + ",uint8,bytes))";
    }

    /**
     * The calldata of {@code manage<Kind>Order} for this operation on a signed order; {@code operationSign}
     * is empty when the owner sends it itself.
     */
    public String calldata(PocoOrder signedOrder, String operationSign) {
        if (signedOrder.salt() == null) {
            throw new IllegalArgumentException(signedOrder.kind().apiName() + " has no salt");
        }
        DynamicStruct operation = new DynamicStruct(OrderAbi.struct(signedOrder), new Uint8(ordinal()),
                new DynamicBytes(operationSign == null || operationSign.isEmpty() ? new byte[0] : Hex.decode(operationSign)));
        String selector = Numeric.toHexString(Hash.sha3(signature(signedOrder.kind()).getBytes(StandardCharsets.UTF_8)))
                .substring(0, 10);
        return selector + Numeric.cleanHexPrefix(FunctionEncoder.encodeConstructor(List.of(operation)));
    }

    private byte[] digest(PocoOrder order, Eip712Domain domain) {
        if (order.salt() == null) {
            throw new IllegalArgumentException(order.kind().apiName() + " has no salt: it was never signed");
        }
        ByteArrayOutputStream struct = new ByteArrayOutputStream();
        struct.writeBytes(typeHash(order.kind()));
        struct.writeBytes(order.kind().type().hashStruct(order.values()));
        struct.writeBytes(Numeric.toBytesPadded(BigInteger.valueOf(ordinal()), 32));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x19);
        out.write(0x01);
        out.writeBytes(domain.separator());
        out.writeBytes(Hash.sha3(struct.toByteArray()));
        return Hash.sha3(out.toByteArray());
    }
}
