package dev.teeflow.protocol.order;

import java.math.BigInteger;

/** An order as the market API holds it: status is "open", "filled", "canceled" or "dead". */
public record PublishedOrder(String orderHash, long chainId, PocoOrder order, BigInteger remaining,
        String status, String signer, String publicationTimestamp) {

    public boolean isOpen() {
        return "open".equals(status) && remaining.signum() > 0;
    }
}
