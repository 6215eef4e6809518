package dev.teeflow.protocol.sign;

import java.util.Map;

import org.web3j.crypto.ECKeyPair;

/**
 * The market API's login challenge: EIP-712 typed data {@code Challenge(string challenge)} in the
 * {@code iExec Gateway} domain; the authorization header is {@code <hash>_<signature>_<address>}.
 */
public final class GatewayChallenge {
    public static final Eip712Type TYPE = Eip712Type.of("Challenge", "challenge", "string");
    /** Prefix of every challenge text the market API hands out. */
    public static final String TEXT_PREFIX = "Sign this message to log into iExec Gateway: ";

    private GatewayChallenge() {
    }

    public static byte[] hash(long chainId, String challengeText) {
        return Eip712Domain.gateway(chainId).digest(TYPE, Map.of("challenge", challengeText));
    }

    /** Signs the challenge and returns the authorization header value. */
    public static String authorization(long chainId, String challengeText, ECKeyPair key) {
        byte[] hash = hash(chainId, challengeText);
        Signature sig = Signatures.signDigest(hash, key);
        return Hex.encode(hash) + "_" + sig.toHex() + "_" + Signatures.addressOf(key);
    }
}
