package dev.teeflow.protocol.order;

import java.util.List;

/** One page of an orderbook read: the orders, the total count, and the next page index if any. */
public record Orderbook(List<PublishedOrder> orders, long count, Integer nextPage) {
    public Orderbook {
        orders = List.copyOf(orders);
    }
}
