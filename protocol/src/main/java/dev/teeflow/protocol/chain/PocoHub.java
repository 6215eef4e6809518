package dev.teeflow.protocol.chain;

import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Typed access to the PoCo hub (the diamond proxy): views, deposit, task initialize and finalize. */
public final class PocoHub {
    private static final Event ORDERS_MATCHED = new Event("OrdersMatched", List.of(
            new TypeReference<Bytes32>() { }, new TypeReference<Bytes32>() { }, new TypeReference<Bytes32>() { },
            new TypeReference<Bytes32>() { }, new TypeReference<Bytes32>() { }, new TypeReference<Uint256>() { }));
    /** keccak256 of the OrdersMatched signature: topic 0 of its logs. */
    public static final String ORDERS_MATCHED_TOPIC = EventEncoder.encode(ORDERS_MATCHED);

    private final String address;
    private final ContractCaller caller;

    public PocoHub(String address, ContractCaller caller) {
        this.address = address;
        this.caller = caller;
    }

    public String address() {
        return address;
    }

    public Eip712Domain domain() {
        AbiWords d = view("domain").tuple(0);
        return new Eip712Domain(d.string(0), d.string(1), d.uint(2).longValueExact(), d.address(3));
    }

    public String token() {
        return view("token").address(0);
    }

    public AppRegistry appRegistry() {
        return new AppRegistry(view("appregistry").address(0), caller);
    }

    public DatasetRegistry datasetRegistry() {
        return new DatasetRegistry(view("datasetregistry").address(0), caller);
    }

    public WorkerpoolRegistry workerpoolRegistry() {
        return new WorkerpoolRegistry(view("workerpoolregistry").address(0), caller);
    }

    public RlcToken rlc() {
        return new RlcToken(token(), caller);
    }

    /** Free and locked stake of an account on the hub, in nRLC. */
    public HubAccount viewAccount(String account) {
        AbiWords a = view("viewAccount", new Address(account));
        return new HubAccount(a.uint(0), a.uint(1));
    }

    /** The hub's ERC-20 balance (SRLC) of an account = its free stake, in nRLC. */
    public BigInteger balanceOf(String account) {
        return view("balanceOf", new Address(account)).uint(0);
    }

    public long countCategory() {
        return view("countCategory").uint(0).longValueExact();
    }

    public Category viewCategory(long index) {
        AbiWords c = view("viewCategory", new Uint256(index)).tuple(0);
        return new Category(c.string(0), c.string(1), c.uint(2).longValueExact());
    }

    /**
     * Deposits nRLC from the sender's wallet onto its hub account in one transaction
     * (RLC {@code approveAndCall} → hub {@code receiveApproval}).
     */
    public TransactionReceipt deposit(BigInteger amount, TxSender sender, TxHook hook) {
        return rlc().approveAndCall(address, amount, new byte[0], sender, hook);
    }

    public Deal viewDeal(String dealId) {
        AbiWords d = view("viewDeal", new Bytes32(dev.teeflow.protocol.chain.Bytes32.bytes(dealId, "deal id"))).tuple(0);
        return new Deal(resource(d.inline(0)), resource(d.inline(3)), resource(d.inline(6)), d.uint(9), d.uint(10),
                d.bytes32(11), d.address(12), d.address(13), d.address(14), d.string(15), d.uint(16), d.uint(17),
                d.uint(18), d.uint(19), d.uint(20), d.address(21));
    }

    public Task viewTask(String taskId) {
        AbiWords t = view("viewTask", new Bytes32(dev.teeflow.protocol.chain.Bytes32.bytes(taskId, "task id"))).tuple(0);
        return new Task(TaskStatus.of(t.uint(0).intValueExact()), t.bytes32(1), t.uint(2), t.uint(3), t.uint(4),
                t.uint(5), t.uint(6), t.bytes32(7), t.uint(8), t.uint(9), t.addresses(10), t.bytes32(11),
                t.bytes(12), t.uint(13), t.bytes(14));
    }

    /** A worker's contribution to a task (all zeros when it never contributed). */
    public Contribution viewContribution(String taskId, String worker) {
        AbiWords c = view("viewContribution", new Bytes32(dev.teeflow.protocol.chain.Bytes32.bytes(taskId, "task id")),
                new Address(worker));
        return new Contribution(c.uint(0).intValueExact(), c.bytes32(1), c.bytes32(2), c.address(3), c.uint(4));
    }

    /** taskid = keccak256(dealid || uint256 index). */
    public static String taskId(String dealId, long index) {
        byte[] packed = new byte[64];
        System.arraycopy(dev.teeflow.protocol.chain.Bytes32.bytes(dealId, "deal id"), 0, packed, 0, 32);
        byte[] idx = Numeric.toBytesPadded(BigInteger.valueOf(index), 32);
        System.arraycopy(idx, 0, packed, 32, 32);
        return Numeric.toHexString(Hash.sha3(packed));
    }

    /** Starts task {@code index} of a deal (sent by the scheduler or a worker). */
    public TransactionReceipt initialize(String dealId, long index, TxSender sender, TxHook hook) {
        return sender.send(address, encode("initialize",
                new Bytes32(dev.teeflow.protocol.chain.Bytes32.bytes(dealId, "deal id")), new Uint256(index)), hook);
    }

    /** Finishes a TEE task in one call (see the protocol notes, section 4, for the signatures). */
    public TransactionReceipt contributeAndFinalize(String taskId, String resultDigest, byte[] results,
                                                    byte[] resultsCallback, String enclaveChallenge,
                                                    byte[] enclaveSign, byte[] authorizationSign,
                                                    TxSender sender, TxHook hook) {
        return sender.send(address, encode("contributeAndFinalize",
                new Bytes32(dev.teeflow.protocol.chain.Bytes32.bytes(taskId, "task id")),
                new Bytes32(dev.teeflow.protocol.chain.Bytes32.bytes(resultDigest, "result digest")),
                new DynamicBytes(results), new DynamicBytes(resultsCallback), new Address(enclaveChallenge),
                new DynamicBytes(enclaveSign), new DynamicBytes(authorizationSign)), hook);
    }

    /**
     * How much of an order's volume deals have used, or its whole volume once the order was closed
     * ({@code viewConsumed(orderHash)}): an order is usable while this is below its volume.
     */
    public BigInteger consumed(String orderHash) {
        return view("viewConsumed", new Bytes32(dev.teeflow.protocol.chain.Bytes32.bytes(orderHash, "order hash"))).uint(0);
    }

    /**
     * Closes a signed order on chain ({@code manage<Kind>Order} with CLOSE), sent by its owner: afterwards
     * {@link #consumed} equals its volume and {@code matchOrders} refuses it.
     */
    public TransactionReceipt closeOrder(dev.teeflow.protocol.order.PocoOrder signedOrder, TxSender owner, TxHook hook) {
        return owner.send(address, dev.teeflow.protocol.order.OrderOperation.CLOSE.calldata(signedOrder, ""), hook);
    }

    /** True when the transaction emitted this hub's {@code Closed<Kind>Order(orderHash)} for that order. */
    public boolean closed(TransactionReceipt receipt, dev.teeflow.protocol.order.OrderKind kind, String orderHash) {
        String topic = EventEncoder.encode(new Event("Closed" + kind.type().name(), List.of(new TypeReference<Bytes32>() { })));
        for (Log log : receipt.getLogs()) {
            if (log.getAddress().equalsIgnoreCase(address) && !log.getTopics().isEmpty()
                    && log.getTopics().get(0).equalsIgnoreCase(topic)
                    && (log.getData() != null && log.getData().equalsIgnoreCase(orderHash)
                        || log.getTopics().size() > 1 && log.getTopics().get(1).equalsIgnoreCase(orderHash))) {
                return true;
            }
        }
        return false;
    }

    /** The OrdersMatched events this hub emitted in a transaction (one per matchOrders call). */
    public List<OrdersMatched> ordersMatched(TransactionReceipt receipt) {
        List<OrdersMatched> out = new ArrayList<>();
        for (Log log : receipt.getLogs()) {
            if (log.getAddress().equalsIgnoreCase(address) && !log.getTopics().isEmpty()
                    && log.getTopics().get(0).equalsIgnoreCase(ORDERS_MATCHED_TOPIC)) {
                AbiWords w = AbiWords.of(log.getData());
                out.add(new OrdersMatched(w.bytes32(0), w.bytes32(1), w.bytes32(2), w.bytes32(3), w.bytes32(4),
                        w.uint(5).longValueExact()));
            }
        }
        return out;
    }

    private static Deal.Resource resource(AbiWords r) {
        return new Deal.Resource(r.address(0), r.address(1), r.uint(2));
    }

    private AbiWords view(String name, org.web3j.abi.datatypes.Type<?>... args) {
        return caller.call(address, new Function(name, List.of(args), List.of()));
    }

    private static String encode(String name, org.web3j.abi.datatypes.Type<?>... args) {
        return FunctionEncoder.encode(new Function(name, List.of(args), List.of()));
    }
}
