package dev.teeflow.protocol.chain;

import java.math.BigInteger;

/** An account on the hub ({@code viewAccount}), in nRLC: free stake and locked (frozen) amount. */
public record HubAccount(BigInteger stake, BigInteger locked) {
}
