package dev.teeflow.protocol.order;

import java.security.SecureRandom;
import java.util.Optional;

import org.web3j.crypto.ECKeyPair;

import dev.teeflow.protocol.sign.Eip712Domain;
import dev.teeflow.protocol.sign.Hex;
import dev.teeflow.protocol.sign.Signature;
import dev.teeflow.protocol.sign.Signatures;

/**
 * EIP-712 hashing and signing of PoCo orders in the hub's domain ({@code iExecODB}, {@code 5.0.0}, chain id, hub).
 * The order hash is the full typed-data digest, which is what the market API and PoCo's
 * {@code viewConsumed} key orders by.
 */
public final class OrderSigner {
    private static final SecureRandom RANDOM = new SecureRandom();

    private OrderSigner() {
    }

    /** The order hash; the order must be salted. */
    public static String hash(PocoOrder order, Eip712Domain domain) {
        return Hex.encode(digest(order, domain));
    }

    /** Salts the order when it has no salt yet, then signs it. */
    public static PocoOrder sign(PocoOrder order, Eip712Domain domain, ECKeyPair key) {
        PocoOrder salted = order.salt() == null ? order.withSalt(randomSalt()) : order;
        Signature sig = Signatures.signDigest(digest(salted, domain), key);
        return salted.withSign(sig.toHex());
    }

    /** The address that signed the order, or empty when unsigned or the signature is invalid. */
    public static Optional<String> recoverSigner(PocoOrder order, Eip712Domain domain) {
        if (order.sign() == null || order.salt() == null) {
            return Optional.empty();
        }
        try {
            return Signatures.recoverDigest(digest(order, domain), Signature.parse(order.sign()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static String randomSalt() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Hex.encode(b);
    }

    private static byte[] digest(PocoOrder order, Eip712Domain domain) {
        if (order.salt() == null) {
            throw new IllegalArgumentException(order.kind().apiName() + " has no salt: sign it (or give it a salt) before hashing");
        }
        return domain.digest(order.kind().type(), order.values());
    }
}
