package dev.teeflow.devnet;

import dev.teeflow.devnet.chain.DevAccounts;
import dev.teeflow.protocol.order.MarketClient;
import dev.teeflow.protocol.order.OrderSigner;
import dev.teeflow.protocol.order.PocoOrder;
import dev.teeflow.protocol.order.Tags;
import dev.teeflow.protocol.order.WorkerpoolOrder;
import dev.teeflow.protocol.sign.Eip712Domain;

import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The devnet workerpool's offers, published at every start because the market API keeps orders in memory: one
 * per tag (TEE with SCONE, TEE with TDX, standard), free, category 0, signed by the workerpool owner, with a volume
 * no test or tutorial will exhaust.
 */
final class WorkerpoolOrders {
    static final List<String> TAGS = List.of("tee,scone", "tee,tdx", "");
    static final BigInteger VOLUME = BigInteger.valueOf(1_000_000);

    private WorkerpoolOrders() {
    }

    /** Signs and publishes the orders; returns their hashes. */
    static List<String> publish(URI market, long chainId, String hub, String workerpool) {
        MarketClient client = new MarketClient(market, chainId);
        Eip712Domain domain = Eip712Domain.poco(chainId, hub);
        var owner = DevAccounts.credentials(DevAccounts.SCHEDULER).getEcKeyPair();
        List<String> hashes = new ArrayList<>();
        for (String tag : TAGS) {
            WorkerpoolOrder order = new WorkerpoolOrder(workerpool, BigInteger.ZERO, VOLUME, Tags.parse(tag),
                    BigInteger.ZERO, BigInteger.ZERO, null, null, null, null, null);
            PocoOrder signed = OrderSigner.sign(order, domain, owner);
            hashes.add(client.publish(signed, owner));
        }
        return hashes;
    }
}
