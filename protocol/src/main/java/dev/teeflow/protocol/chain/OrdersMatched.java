package dev.teeflow.protocol.chain;

/** The {@code OrdersMatched} event of a {@code matchOrders} transaction. */
public record OrdersMatched(String dealId, String appHash, String datasetHash, String workerpoolHash,
                            String requestHash, long volume) {
}
