package dev.teeflow.devnet.sms;

import java.util.Optional;

/**
 * Asks the chain who owns an asset contract (app, dataset, workerpool) by calling its {@code owner()} view.
 * Empty when the address holds no such contract or the call fails; the SMS then answers 401 as iExec's does.
 */
@FunctionalInterface
public interface OwnerLookup {
    Optional<String> ownerOf(String contractAddress);
}
