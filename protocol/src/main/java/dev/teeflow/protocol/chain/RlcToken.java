package dev.teeflow.protocol.chain;

import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import java.math.BigInteger;
import java.util.List;

/** The RLC ERC-20 token (9 decimals: amounts are in nRLC). */
public final class RlcToken {
    private final String address;
    private final ContractCaller caller;

    public RlcToken(String address, ContractCaller caller) {
        this.address = address;
        this.caller = caller;
    }

    public String address() {
        return address;
    }

    public BigInteger balanceOf(String account) {
        return caller.call(address, new Function("balanceOf", List.of(new Address(account)), List.of())).uint(0);
    }

    public TransactionReceipt transfer(String to, BigInteger amount, TxSender sender, TxHook hook) {
        return sender.send(address, FunctionEncoder.encode(new Function("transfer",
                List.of(new Address(to), new Uint256(amount)), List.of())), hook);
    }

    /** approve + call {@code receiveApproval} on the spender in one transaction. */
    public TransactionReceipt approveAndCall(String spender, BigInteger amount, byte[] extraData,
                                             TxSender sender, TxHook hook) {
        return sender.send(address, approveAndCallData(spender, amount, extraData), hook);
    }

    /** The calldata of {@code approveAndCall}, to estimate its gas. */
    public static String approveAndCallData(String spender, BigInteger amount, byte[] extraData) {
        return FunctionEncoder.encode(new Function("approveAndCall",
                List.of(new Address(spender), new Uint256(amount), new DynamicBytes(extraData)), List.of()));
    }
}
