package dev.teeflow.actions.chain;

import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/**
 * A loaded signing key. Shows its address and where it came from; never its key, not even in
 * {@link #toString()}.
 */
public final class Wallet {
    private final Credentials credentials;
    private final String source;
    private final boolean publicTestKey;

    Wallet(Credentials credentials, String source, boolean publicTestKey) {
        this.credentials = credentials;
        this.source = source;
        this.publicTestKey = publicTestKey;
    }

    /** The EIP-55 checksummed address. */
    public String address() {
        return Keys.toChecksumAddress(credentials.getAddress());
    }

    public ECKeyPair keyPair() {
        return credentials.getEcKeyPair();
    }

    public Credentials credentials() {
        return credentials;
    }

    /** Where the key came from: {@code keystore wallet.json}, {@code private key env:KEY}, {@code devnet account 0}. */
    public String source() {
        return source;
    }

    /** True for a devnet account, whose key everyone knows. */
    public boolean isPublicTestKey() {
        return publicTestKey;
    }

    /** {@code 0xAbc... (keystore wallet.json)}. */
    public String describe() {
        return address() + " (" + source + (publicTestKey ? ", a PUBLIC TEST KEY" : "") + ")";
    }

    @Override
    public String toString() {
        return "Wallet(" + describe() + ")";
    }
}
