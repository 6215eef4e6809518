package dev.teeflow.protocol.sign;

import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Locale;
import java.util.Optional;

import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * Signing and signer recovery on secp256k1.
 * <ul>
 * <li>{@link #personalSign}: EIP-191 version 0x45 ("\x19Ethereum Signed Message:\n" + length + message),
 * what ethers' {@code signMessage(bytes)} does and what the SMS checks.</li>
 * <li>{@link #signDigest}: a raw signature over a 32-byte digest (EIP-712 typed data, PoCo orders).</li>
 * </ul>
 * Addresses come back lowercase with 0x.
 */
public final class Signatures {
    private Signatures() {
    }

    public static Signature personalSign(byte[] message, ECKeyPair key) {
        return from(Sign.signPrefixedMessage(message, key));
    }

    public static Signature signDigest(byte[] digest32, ECKeyPair key) {
        if (digest32.length != 32) {
            throw new IllegalArgumentException("digest must be 32 bytes, got " + digest32.length);
        }
        return from(Sign.signMessage(digest32, key, false));
    }

    /** The address that personal-signed this message, or empty if the signature is not valid. */
    public static Optional<String> recoverPersonal(byte[] message, Signature signature) {
        return recover(Sign.getEthereumMessageHash(message), signature);
    }

    /** The address that signed this digest, or empty if the signature is not valid. */
    public static Optional<String> recoverDigest(byte[] digest32, Signature signature) {
        return recover(digest32, signature);
    }

    /** True when the signature is a personal_sign of message by the given address (any case). */
    public static boolean isPersonalSignedBy(byte[] message, String signatureHex, String address) {
        try {
            return recoverPersonal(message, Signature.parse(signatureHex))
                    .map(a -> a.equalsIgnoreCase(address))
                    .orElse(false);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static String addressOf(ECKeyPair key) {
        return "0x" + Keys.getAddress(key.getPublicKey()).toLowerCase(Locale.ROOT);
    }

    private static Optional<String> recover(byte[] hash, Signature signature) {
        try {
            BigInteger pub = Sign.signedMessageHashToKey(hash,
                    new Sign.SignatureData((byte) signature.v(), signature.r(), signature.s()));
            return Optional.of("0x" + Keys.getAddress(pub).toLowerCase(Locale.ROOT));
        } catch (SignatureException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Signature from(Sign.SignatureData data) {
        return new Signature(data.getR(), data.getS(), data.getV()[0] & 0xff);
    }
}
