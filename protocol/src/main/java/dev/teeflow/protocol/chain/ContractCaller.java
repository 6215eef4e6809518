package dev.teeflow.protocol.chain;

import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;

import java.util.List;

/** Read-only contract calls (eth_call at the latest block). */
public final class ContractCaller {
    private final Web3j web3j;

    public ContractCaller(Web3j web3j) {
        this.web3j = web3j;
    }

    public Web3j web3j() {
        return web3j;
    }

    /** Calls a view and returns its raw ABI-encoded result; a revert or an empty answer is an error. */
    public String call(String to, String data, String what) {
        EthCall result = TxSender.rpcAllowingError(() -> web3j.ethCall(
                Transaction.createEthCallTransaction(null, to, data), DefaultBlockParameterName.LATEST).send(), what);
        if (result.hasError() || result.isReverted()) {
            String reason = result.hasError() ? result.getError().getMessage() : result.getRevertReason();
            throw new ChainException("call " + what + " on " + to + " reverted: " + reason);
        }
        String value = result.getValue();
        if (value == null || value.equals("0x")) {
            throw new ChainException("call " + what + " on " + to + " returned nothing: is there a contract at "
                    + to + " on this chain?");
        }
        return value;
    }

    AbiWords call(String to, Function function) {
        return AbiWords.of(call(to, FunctionEncoder.encode(function), function.getName() + "()"));
    }

    /** {@code owner()} of any Ownable contract, e.g. an app, dataset or workerpool. */
    public String owner(String contract) {
        return call(contract, new Function("owner", List.of(), List.of())).address(0);
    }

    /** True when an account has code (a contract is deployed at that address). */
    public boolean hasCode(String address) {
        String code = TxSender.rpc(() -> web3j.ethGetCode(address, DefaultBlockParameterName.LATEST).send(),
                "read the code at " + address).getCode();
        return code != null && code.length() > 2;
    }
}
