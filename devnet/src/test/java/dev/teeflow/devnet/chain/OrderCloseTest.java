package dev.teeflow.devnet.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.devnet.market.MarketServer;
import dev.teeflow.devnet.market.RpcMarketChain;
import dev.teeflow.protocol.chain.AppSpec;
import dev.teeflow.protocol.chain.ChainException;
import dev.teeflow.protocol.chain.PocoHub;
import dev.teeflow.protocol.chain.TxSender;
import dev.teeflow.protocol.order.AppOrder;
import dev.teeflow.protocol.order.DatasetOrder;
import dev.teeflow.protocol.order.MarketClient;
import dev.teeflow.protocol.order.OrderAbi;
import dev.teeflow.protocol.order.OrderKind;
import dev.teeflow.protocol.order.OrderOperation;
import dev.teeflow.protocol.order.OrderSigner;
import dev.teeflow.protocol.order.PocoOrder;
import dev.teeflow.protocol.order.RequestOrder;
import dev.teeflow.protocol.order.Tags;
import dev.teeflow.protocol.order.WorkerpoolOrder;
import dev.teeflow.protocol.sign.Eip712Domain;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.ECKeyPair;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * PoCo 6.1's order cancellation on the devnet chain: {@code manageAppOrder} with CLOSE sets the order's
 * consumed volume to its volume, so matchOrders refuses it and the market stops listing it; the owner's
 * EIP-712 signature over the operation lets another account send it; nobody else can.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderCloseTest {
    private static final String TAG = Tags.parse("tee,tdx");
    private DevChain chain;
    private PocoHub hub;
    private Eip712Domain domain;
    private TxSender owner;
    private ECKeyPair ownerKey;
    private String app;

    @BeforeAll
    void start() {
        chain = DevChain.start(DevChainConfig.defaults().withPort(0));
        hub = chain.hub();
        var d = hub.domain();
        domain = new Eip712Domain(d.name(), d.version(), d.chainId(), d.verifyingContract());
        owner = chain.sender(DevAccounts.USER);
        ownerKey = DevAccounts.credentials(DevAccounts.USER).getEcKeyPair();
        app = hub.appRegistry().ensureApp(AppSpec.docker(owner.address(), "close-app-" + System.nanoTime(),
                "registry.local/close:1", "0x" + "34".repeat(32), new byte[0]), owner, h -> { }).address();
    }

    @AfterAll
    void stop() {
        chain.close();
    }

    private PocoOrder appOrder(long volume) {
        return OrderSigner.sign(new AppOrder(app, BigInteger.ZERO, BigInteger.valueOf(volume), TAG, null, null, null, null, null),
                domain, ownerKey);
    }

    @Test
    void aClosedOrderIsFullyConsumedAndRefusedByMatchOrders() {
        PocoOrder order = appOrder(5);
        String hash = OrderSigner.hash(order, domain);
        assertThat(hub.consumed(hash)).isZero();

        TransactionReceipt closed = hub.closeOrder(order, owner, h -> { });

        assertThat(hub.closed(closed, OrderKind.APP, hash)).isTrue();
        assertThat(hub.consumed(hash)).isEqualTo(BigInteger.valueOf(5));
        assertThatThrownBy(() -> match(order)).isInstanceOf(ChainException.class);
        PocoOrder open = appOrder(5);
        assertThat(hub.ordersMatched(match(open))).hasSize(1); // the same deal with an open order goes through
    }

    @Test
    void anotherAccountMayCloseWithTheOwnersSignatureOverTheOperationButNotWithout() {
        PocoOrder order = appOrder(3);
        String hash = OrderSigner.hash(order, domain);
        TxSender stranger = chain.sender(DevAccounts.WORKER);

        assertThatThrownBy(() -> stranger.send(hub.address(), OrderOperation.CLOSE.calldata(order, ""), h -> { }))
                .isInstanceOf(ChainException.class);
        assertThat(hub.consumed(hash)).isZero();

        String delegated = OrderOperation.CLOSE.sign(order, domain, ownerKey);
        stranger.send(hub.address(), OrderOperation.CLOSE.calldata(order, delegated), h -> { });
        assertThat(hub.consumed(hash)).isEqualTo(BigInteger.valueOf(3));
    }

    @Test
    void theMarketStopsListingAClosedOrder() throws Exception {
        try (RpcMarketChain reads = new RpcMarketChain(chain.rpcUrl(), hub.address());
             MarketServer server = MarketServer.start(0, chain.manifest().chainId(), hub.address(), reads)) {
            MarketClient market = new MarketClient(server.url(), chain.manifest().chainId());
            PocoOrder order = appOrder(7);
            String hash = market.publish(order, ownerKey);
            assertThat(market.find(OrderKind.APP, hash)).get().matches(p -> p.isOpen());

            hub.closeOrder(order, owner, h -> { });

            assertThat(market.find(OrderKind.APP, hash)).get().matches(p -> !p.isOpen());
            assertThat(market.orderbook(OrderKind.APP, Map.of("app", app, "dataset", "any", "workerpool", "any",
                    "requester", "any")).orders()).noneMatch(p -> p.orderHash().equalsIgnoreCase(hash));
        }
    }

    /** matchOrders of the app order with a fresh workerpool order and request order (no dataset), each EIP-712 signed. */
    private TransactionReceipt match(PocoOrder appOrder) {
        TxSender requester = chain.sender(DevAccounts.DEPLOYER);
        ECKeyPair schedulerKey = DevAccounts.credentials(DevAccounts.SCHEDULER).getEcKeyPair();
        ECKeyPair requesterKey = DevAccounts.credentials(DevAccounts.DEPLOYER).getEcKeyPair();
        String pool = chain.manifest().workerpool();
        PocoOrder poolOrder = OrderSigner.sign(new WorkerpoolOrder(pool, BigInteger.ZERO, BigInteger.ONE, TAG,
                BigInteger.ZERO, BigInteger.ZERO, null, null, null, null, null), domain, schedulerKey);
        PocoOrder request = OrderSigner.sign(new RequestOrder(app, BigInteger.ZERO, null, BigInteger.ZERO, pool,
                BigInteger.ZERO, requester.address(), BigInteger.ONE, TAG, BigInteger.ZERO, BigInteger.ZERO,
                requester.address(), null, "{\"iexec_args\":\"x\"}", null, null), domain, requesterKey);
        DatasetOrder none = new DatasetOrder(PocoOrder.NULL_ADDRESS, BigInteger.ZERO, BigInteger.ZERO, PocoOrder.NULL_BYTES32,
                null, null, null, PocoOrder.NULL_BYTES32, null);
        String appTuple = OrderAbi.tupleType(OrderKind.APP);
        String signature = "matchOrders(" + appTuple + "," + appTuple + "," + OrderAbi.tupleType(OrderKind.WORKERPOOL)
                + "," + OrderAbi.tupleType(OrderKind.REQUEST) + ")";
        List<Type> args = List.of(OrderAbi.struct(appOrder), OrderAbi.struct(none), OrderAbi.struct(poolOrder),
                OrderAbi.struct(request));
        String data = ContractArtifact.selector(signature) + Numeric.cleanHexPrefix(FunctionEncoder.encodeConstructor(args));
        return requester.send(hub.address(), data, h -> { });
    }
}
