package dev.teeflow.devnet.market;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;

import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.http.HttpService;

import dev.teeflow.protocol.sign.Hex;

/**
 * {@link MarketChain} over JSON-RPC: {@code owner()} (0x8da5cb5b) on the asset contract and
 * {@code viewConsumed(bytes32)} on the hub.
 */
public final class RpcMarketChain implements MarketChain, AutoCloseable {
    private static final String OWNER = "0x8da5cb5b";
    private static final String VIEW_CONSUMED = Hex.encode(java.util.Arrays.copyOf(
            org.web3j.crypto.Hash.sha3("viewConsumed(bytes32)".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 4));
    private final Web3j web3j;
    private final String hub;

    public RpcMarketChain(String rpcUrl, String hub) {
        this.web3j = Web3j.build(new HttpService(rpcUrl));
        this.hub = hub;
    }

    @Override
    public Optional<String> ownerOf(String asset) {
        return call(asset, OWNER).filter(v -> v.length() >= 66)
                .map(v -> "0x" + v.substring(v.length() - 40).toLowerCase(Locale.ROOT))
                .filter(a -> !a.equals("0x0000000000000000000000000000000000000000"));
    }

    @Override
    public BigInteger consumed(String orderHash) {
        return call(hub, VIEW_CONSUMED + Hex.encode(Hex.decode(orderHash)).substring(2))
                .filter(v -> v.length() > 2)
                .map(v -> new BigInteger(v.substring(2), 16))
                .orElse(BigInteger.ZERO);
    }

    private Optional<String> call(String to, String data) {
        try {
            EthCall res = web3j.ethCall(Transaction.createEthCallTransaction(null, to, data),
                    DefaultBlockParameterName.LATEST).send();
            return res.hasError() || res.isReverted() ? Optional.empty() : Optional.ofNullable(res.getValue());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
