package dev.teeflow.devnet.worker;

import dev.teeflow.protocol.chain.Bytes32;
import dev.teeflow.protocol.chain.ContractCaller;
import dev.teeflow.protocol.chain.PocoHub;
import dev.teeflow.protocol.chain.TxSender;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** The workerpool's view of the chain: deal logs, asset fields, task calls, and the devnet-only claim path. */
final class PoolChain implements AutoCloseable {
    private final HttpService service;
    private final Web3j web3j;
    private final ContractCaller caller;
    private final PocoHub hub;
    private final TxSender scheduler;
    private final TxSender worker;
    private final long chainId;

    PoolChain(WorkerpoolConfig config) {
        this.service = new HttpService(config.rpcUrl());
        this.web3j = Web3j.build(service);
        this.caller = new ContractCaller(web3j);
        this.hub = new PocoHub(config.hub(), caller);
        long chainId;
        try {
            chainId = web3j.ethChainId().send().getChainId().longValueExact();
        } catch (IOException | RuntimeException e) {
            web3j.shutdown();
            throw new IllegalStateException("the devnet workerpool cannot reach the chain at " + config.rpcUrl()
                    + ": " + e.getMessage(), e);
        }
        this.chainId = chainId;
        this.scheduler = new TxSender(web3j, config.scheduler(), chainId);
        this.worker = new TxSender(web3j, config.worker(), chainId);
    }

    long chainId() {
        return chainId;
    }

    PocoHub hub() {
        return hub;
    }

    TxSender scheduler() {
        return scheduler;
    }

    TxSender worker() {
        return worker;
    }

    long latestBlock() {
        return rpc(web3j.ethBlockNumber(), "read the block number").getBlockNumber().longValueExact();
    }

    /** Deal ids of the hub's OrdersMatched logs in [from, to]. */
    List<String> matchedDeals(long from, long to) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), hub.address());
        filter.addSingleTopic(PocoHub.ORDERS_MATCHED_TOPIC);
        List<String> deals = new ArrayList<>();
        for (EthLog.LogResult<?> r : rpc(web3j.ethGetLogs(filter), "read OrdersMatched logs").getLogs()) {
            Log log = (Log) r.get();
            String data = Numeric.cleanHexPrefix(log.getData());
            if (data.length() >= 64) {
                deals.add("0x" + data.substring(0, 64));
            }
        }
        return deals;
    }

    /** An app's or dataset's multiaddr (as text) and checksum, read from the asset contract. */
    record Asset(String multiaddr, String checksum) {
    }

    Asset app(String app) {
        return new Asset(dev.teeflow.protocol.chain.Multiaddr.decode(bytesView(app, "m_appMultiaddr")),
                bytes32View(app, "m_appChecksum"));
    }

    Asset dataset(String dataset) {
        return new Asset(dev.teeflow.protocol.chain.Multiaddr.decode(bytesView(dataset, "m_datasetMultiaddr")),
                bytes32View(dataset, "m_datasetChecksum"));
    }

    private byte[] bytesView(String contract, String name) {
        Function f = new Function(name, List.of(), List.of(new TypeReference<DynamicBytes>() { }));
        List<Type> out = FunctionReturnDecoder.decode(caller.call(contract, FunctionEncoder.encode(f), name + "()"),
                f.getOutputParameters());
        return ((DynamicBytes) out.get(0)).getValue();
    }

    private String bytes32View(String contract, String name) {
        String raw = Numeric.cleanHexPrefix(caller.call(contract, FunctionEncoder.encode(
                new Function(name, List.of(), List.of())), name + "()"));
        return "0x" + raw.substring(0, 64).toLowerCase(java.util.Locale.ROOT);
    }

    long blockTimestamp() {
        return rpc(web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false), "read the latest block")
                .getBlock().getTimestamp().longValueExact();
    }

    /**
     * DEVNET ONLY: moves the chain clock past a task's final deadline (evm_increaseTime + evm_mine) so that
     * claim() can fail the task at once instead of after 10 x the category time. No real chain allows this.
     */
    void travelPast(long deadline) {
        long now = blockTimestamp();
        if (now <= deadline) {
            rpc(new Request<>("evm_increaseTime", List.of(deadline - now + 1), service, RawResponse.class),
                    "evm_increaseTime");
            rpc(new Request<>("evm_mine", List.of(), service, RawResponse.class), "evm_mine");
        }
    }

    /** claim(taskid): ACTIVE after the final deadline -> FAILED, the requester is refunded. Sent by the scheduler. */
    void claim(String taskId) {
        scheduler.send(hub.address(), FunctionEncoder.encode(new Function("claim",
                List.of(new org.web3j.abi.datatypes.generated.Bytes32(Bytes32.bytes(taskId, "task id"))), List.of())),
                h -> { });
    }

    /** Any JSON-RPC answer (anvil's evm_* methods). */
    public static final class RawResponse extends Response<Object> {
    }

    private static <T extends Response<?>> T rpc(Request<?, T> request, String what) {
        T response;
        try {
            response = request.send();
        } catch (IOException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getMessage() + " (is the devnet chain up?)", e);
        }
        if (response.hasError()) {
            throw new IllegalStateException("cannot " + what + ": " + response.getError().getMessage());
        }
        return response;
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
