package dev.teeflow.devnet.sms;

import java.util.Locale;
import java.util.Optional;

import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.http.HttpService;

/** {@link OwnerLookup} through {@code eth_call owner()} (selector 0x8da5cb5b) on a JSON-RPC endpoint. */
public final class RpcOwnerLookup implements OwnerLookup, AutoCloseable {
    private static final String OWNER_SELECTOR = "0x8da5cb5b";
    private final Web3j web3j;

    public RpcOwnerLookup(String rpcUrl) {
        this.web3j = Web3j.build(new HttpService(rpcUrl));
    }

    @Override
    public Optional<String> ownerOf(String contractAddress) {
        try {
            EthCall call = web3j.ethCall(Transaction.createEthCallTransaction(null, contractAddress, OWNER_SELECTOR),
                    DefaultBlockParameterName.LATEST).send();
            if (call.hasError() || call.isReverted()) {
                return Optional.empty();
            }
            String value = call.getValue();
            if (value == null || value.length() < 66) {
                return Optional.empty();
            }
            String owner = "0x" + value.substring(value.length() - 40).toLowerCase(Locale.ROOT);
            return owner.equals("0x0000000000000000000000000000000000000000") ? Optional.empty() : Optional.of(owner);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
