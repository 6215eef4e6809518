package dev.teeflow.actions.order;

import dev.teeflow.actions.deploy.ChainAccess;
import dev.teeflow.actions.deploy.RecordingTxHook;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.protocol.chain.TxDroppedException;
import dev.teeflow.protocol.order.MarketClient;
import dev.teeflow.protocol.order.MarketException;
import dev.teeflow.protocol.order.PocoOrder;
import dev.teeflow.protocol.order.PublishedOrder;
import dev.teeflow.protocol.order.Tags;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Takes back an order this wallet published: closes it on chain (PoCo's {@code manage<Kind>Order} with CLOSE,
 * after which its consumed volume is its volume and no deal can use it), then withdraws it from the market
 * if the market still lists it. The chain is what counts: the market only advertises.
 *
 * <p>Crash safety: the close transaction's hash is recorded as the step's intent (with the order hash, under
 * {@code revoking}) before it is broadcast; a later run waits for that transaction instead of sending another,
 * and an order whose consumed volume is already its volume is never closed again.
 */
final class OrderRevoker {
    private final StepContext ctx;
    private final ChainAccess access;
    private final MarketClient market;

    OrderRevoker(StepContext ctx, ChainAccess access, MarketClient market) {
        this.ctx = ctx;
        this.access = access;
        this.market = market;
    }

    /** Closes {@code order} (signed, with hash {@code hash}); {@code intent} is kept in the intent it records. */
    void revoke(PocoOrder order, String hash, Map<String, Object> intent) {
        String what = order.kind().apiName() + " " + hash;
        BigInteger consumed = access.hub().consumed(hash);
        if (consumed.compareTo(order.volume()) >= 0) {
            ctx.log().info(what + " is already closed or used up on chain (" + consumed + " of " + order.volume()
                    + " consumed); no transaction sent");
        } else {
            String owner = access.caller().owner(order.address());
            if (!owner.equalsIgnoreCase(access.wallet().address())) {
                throw new TeeflowException(ctx.address() + ": cannot revoke " + what + ": " + order.kind().addressField()
                        + " " + order.address() + " belongs to " + owner + ", but the wallet is "
                        + access.wallet().describe() + "; only the owner can close its orders");
            }
            close(order, hash, what, intent);
        }
        withdraw(order, hash, what);
    }

    private void close(PocoOrder order, String hash, String what, Map<String, Object> intent) {
        Optional<String> recordedTx = ctx.intent().filter(i -> hash.equalsIgnoreCase(String.valueOf(i.get("revoking"))))
                .map(i -> (String) i.get("close-tx"));
        if (recordedTx.isPresent()) {
            ctx.log().info("an earlier run sent " + recordedTx.get() + " to close " + what + "; waiting for it");
            try {
                access.sender().resume(recordedTx.get());
                check(hash, order, what);
                return;
            } catch (TxDroppedException e) {
                ctx.log().info("the node never saw " + recordedTx.get() + "; sending the close once");
            }
        }
        var receipt = access.hub().closeOrder(order, access.sender(), new RecordingTxHook(ctx, tx -> {
            Map<String, Object> values = new LinkedHashMap<>(intent);
            values.put("revoking", hash);
            values.put("close-tx", tx);
            ctx.recordIntent(values);
            ctx.log().info("closing " + what + " on chain in " + tx);
        }));
        if (!access.hub().closed(receipt, order.kind(), hash)) {
            throw new TeeflowException(ctx.address() + ": the close transaction " + receipt.getTransactionHash()
                    + " was mined but the hub did not report " + what + " closed");
        }
        check(hash, order, what);
        ctx.log().info("closed " + what + " on chain: no deal can use it any more");
    }

    private void check(String hash, PocoOrder order, String what) {
        BigInteger consumed = access.hub().consumed(hash);
        if (consumed.compareTo(order.volume()) < 0) {
            throw new TeeflowException(ctx.address() + ": " + what + " still has " + order.volume().subtract(consumed)
                    + " of its volume open after the close transaction");
        }
    }

    /** The market drops closed orders itself; this only withdraws one it still lists as open. A market error is a warning. */
    private void withdraw(PocoOrder order, String hash, String what) {
        try {
            Optional<PublishedOrder> listed = market.find(order.kind(), hash).filter(PublishedOrder::isOpen);
            if (listed.isPresent()) {
                OrderPublishStep.loggedIn(ctx, access, () -> market.unpublish(order.kind(), hash, access.wallet().keyPair()));
                ctx.log().info("withdrew " + what + " from the market");
            }
        } catch (MarketException e) {
            ctx.log().warn("the order is closed on chain, but the market could not be asked to drop it ("
                    + e.getMessage() + "); no deal can use it either way");
        }
    }

    /** What an order allows, for plans and logs: {@code dataset 0x.. to app 0x.., any workerpool, any requester, ...}. */
    static String allowed(PocoOrder order) {
        Map<String, Object> v = order.values();
        StringBuilder out = new StringBuilder(order.kind().addressField() + " " + order.address() + " to ");
        String[] restricts = switch (order.kind()) {
            case APP -> new String[] {"dataset", "workerpool", "requester"};
            case DATASET -> new String[] {"app", "workerpool", "requester"};
            default -> new String[] {"app", "dataset", "requester"};
        };
        for (int i = 0; i < restricts.length; i++) {
            String r = (String) v.get(restricts[i] + "restrict");
            out.append(i == 0 ? "" : ", ").append(r == null || PocoOrder.NULL_ADDRESS.equals(r) ? "any " + restricts[i]
                    : restricts[i] + " " + r);
        }
        String priceField = order.kind().addressField() + "price";
        return out.append("; price ").append(v.get(priceField)).append(" nRLC, volume ").append(order.volume())
                .append(", tag ").append(Tags.names(order.tag())).toString();
    }
}
