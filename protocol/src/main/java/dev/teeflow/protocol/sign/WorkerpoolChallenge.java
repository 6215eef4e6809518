package dev.teeflow.protocol.sign;

import java.util.Map;
import java.util.Optional;

import org.web3j.crypto.ECKeyPair;

/**
 * The workerpool API's task-logs challenge (iexec-core {@code GET /tasks/logs/challenge}): EIP-712 typed data
 * {@code Challenge(string challenge)} in the {@code iExec Core} / {@code 1} / chainId domain. The authorization
 * header is {@code <typed-data hash>_<signature>_<address>}, as for the market API.
 */
public final class WorkerpoolChallenge {
    public static final Eip712Type TYPE = Eip712Type.of("Challenge", "challenge", "string");

    private WorkerpoolChallenge() {
    }

    public static byte[] hash(long chainId, String challengeText) {
        return Eip712Domain.core(chainId).digest(TYPE, Map.of("challenge", challengeText));
    }

    /** Signs the challenge and returns the authorization header value. */
    public static String authorization(long chainId, String challengeText, ECKeyPair key) {
        byte[] hash = hash(chainId, challengeText);
        return Hex.encode(hash) + "_" + Signatures.signDigest(hash, key).toHex() + "_" + Signatures.addressOf(key);
    }

    /**
     * The address that signed {@code challengeText} in an authorization header, when the header names that
     * address and its signature is by it; empty otherwise. Like iexec-core, the hash part is not trusted:
     * the signature is checked against the hash of the challenge the server handed out.
     */
    public static Optional<String> verify(long chainId, String challengeText, String header) {
        if (header == null) {
            return Optional.empty();
        }
        String[] parts = header.trim().split("_");
        if (parts.length != 3 || !Hex.isAddress(parts[2])) {
            return Optional.empty();
        }
        try {
            Optional<String> signer = Signatures.recoverDigest(hash(chainId, challengeText), Signature.parse(parts[1]));
            return signer.filter(s -> s.equalsIgnoreCase(parts[2]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The address an authorization header names (its third part), or empty when it is not one. */
    public static Optional<String> addressOf(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String[] parts = header.trim().split("_");
        return parts.length == 3 && Hex.isAddress(parts[2]) ? Optional.of(parts[2]) : Optional.empty();
    }
}
