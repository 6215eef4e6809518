package dev.teeflow.devnet.market;

import java.math.BigInteger;
import java.util.Optional;

/**
 * What the market API asks the chain: the owner of a registered app, dataset or workerpool (empty when the
 * address is not a registered asset), and how much of an order's volume deals have consumed
 * ({@code viewConsumed(orderHash)} on the hub).
 */
public interface MarketChain {
    Optional<String> ownerOf(String asset);

    default BigInteger consumed(String orderHash) {
        return BigInteger.ZERO;
    }
}
