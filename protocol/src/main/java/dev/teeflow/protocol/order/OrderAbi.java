package dev.teeflow.protocol.order;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;

import dev.teeflow.protocol.sign.Hex;

/** Orders as PoCo's ABI structs ({@code IexecLibOrders_v5.<Kind>Order}): the EIP-712 fields in order, then {@code sign}. */
public final class OrderAbi {
    private OrderAbi() {
    }

    /** {@code (address,uint256,...,bytes32,bytes)}: the struct's tuple type in an ABI signature. */
    public static String tupleType(OrderKind kind) {
        StringBuilder out = new StringBuilder("(");
        for (var f : kind.type().fields()) {
            out.append(f.type()).append(',');
        }
        return out.append("bytes)").toString();
    }

    /** The order as the contract's struct; an unsigned order has an empty {@code sign}. */
    public static DynamicStruct struct(PocoOrder order) {
        List<Type> fields = new ArrayList<>();
        for (var f : order.kind().type().fields()) {
            Object v = order.values().get(f.name());
            fields.add(switch (f.type()) {
                case "address" -> new Address((String) v);
                case "uint256" -> new Uint256((BigInteger) v);
                case "bytes32" -> new Bytes32(Hex.decode((String) v));
                case "string" -> new Utf8String((String) v);
                default -> throw new IllegalArgumentException("unexpected field type " + f.type());
            });
        }
        fields.add(new DynamicBytes(order.sign() == null ? new byte[0] : Hex.decode(order.sign())));
        return new DynamicStruct(fields);
    }
}
