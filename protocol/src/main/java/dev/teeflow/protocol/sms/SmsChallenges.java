package dev.teeflow.protocol.sms;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.web3j.crypto.Hash;

import dev.teeflow.protocol.sign.Hex;

/**
 * The 32-byte challenges the SMS asks to be personal-signed (EIP-191) before it stores a secret.
 * D = keccak256("IEXEC_SMS_DOMAIN"); addresses enter as their 20 raw bytes, so their case does not matter;
 * names and values enter as keccak256 of their UTF-8 bytes, exactly as given.
 */
public final class SmsChallenges {
    public static final String DOMAIN = "IEXEC_SMS_DOMAIN";
    /** The secret name the app developer secret is signed with (it used to be an index). */
    public static final String APP_DEVELOPER_SECRET_NAME = "1";

    private SmsChallenges() {
    }

    public static byte[] domain() {
        return keccak(DOMAIN);
    }

    /** Dataset key: keccak256(D || dataset || keccak256(value)). */
    public static byte[] web3(String datasetAddress, String value) {
        return concatHash(domain(), Hex.address(datasetAddress), keccak(value));
    }

    /** Web2 and requester secrets: keccak256(D || owner || keccak256(name) || keccak256(value)). */
    public static byte[] web2(String ownerAddress, String name, String value) {
        return concatHash(domain(), Hex.address(ownerAddress), keccak(name), keccak(value));
    }

    /** Requester secrets use the web2 challenge with the requester as owner. */
    public static byte[] requester(String requesterAddress, String name, String value) {
        return web2(requesterAddress, name, value);
    }

    /** App developer secret: the web2 challenge with owner = app address and name = "1". */
    public static byte[] appDeveloper(String appAddress, String value) {
        return web2(appAddress, APP_DEVELOPER_SECRET_NAME, value);
    }

    private static byte[] keccak(String s) {
        return Hash.sha3(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concatHash(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return Hash.sha3(out.toByteArray());
    }
}
