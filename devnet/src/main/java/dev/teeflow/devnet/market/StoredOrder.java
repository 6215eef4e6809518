package dev.teeflow.devnet.market;

import dev.teeflow.protocol.order.PocoOrder;

/** A published order as the market keeps it; signer lowercase, timestamp ISO-8601 with milliseconds. */
public record StoredOrder(String orderHash, PocoOrder order, String signer, String publicationTimestamp) {
}
