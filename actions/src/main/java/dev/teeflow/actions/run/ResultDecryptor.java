package dev.teeflow.actions.run;

import dev.teeflow.engine.TeeflowException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opens a result encrypted for the beneficiary by the TEE post-compute: a zip holding
 * {@code aes-key.rsa} (the one-time AES-256 key, RSA PKCS#1 v1.5 with the beneficiary's public key) and
 * {@code iexec_out.zip.aes} (16-byte IV + AES-256-CBC/PKCS#7 of the result zip). Both files are also
 * accepted base64-encoded, and the RSA-decrypted key as base64 text, as older workers wrote them and
 * {@code iexec result decrypt} still reads them.
 */
final class ResultDecryptor {
    static final String KEY_ENTRY = "aes-key.rsa";
    static final String DATA_ENTRY = "iexec_out.zip.aes";
    /** The SDK's bounds: a wrapped key is small, a result at most 1 GB. */
    static final long MAX_KEY = 1000;
    static final long MAX_DATA = 1_000_000_000L;

    private ResultDecryptor() {
    }

    /** True when the downloaded zip is an encrypted result. */
    static boolean isEncrypted(Map<String, byte[]> entries) {
        return entries.containsKey(KEY_ENTRY) && entries.containsKey(DATA_ENTRY);
    }

    /** The plain result zip. {@code privatePem} is the PKCS#8 PEM private key kept by result.encryption-key. */
    static byte[] decrypt(byte[] wrappedKey, byte[] data, String privatePem) {
        PrivateKey key = privateKey(privatePem);
        byte[] aesKey;
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            rsa.init(Cipher.DECRYPT_MODE, key);
            aesKey = rsa.doFinal(maybeBase64(wrappedKey));
        } catch (GeneralSecurityException e) {
            throw new TeeflowException("the result's key (" + KEY_ENTRY + ") does not open with the result encryption key"
                    + " teeflow keeps: the result was encrypted for another key (was the key replaced after the deal?)");
        }
        if (aesKey.length != 32) {
            aesKey = maybeBase64(aesKey); // legacy workers wrapped the key's base64 text
        }
        if (aesKey.length != 32) {
            throw new TeeflowException("the result's key is " + aesKey.length + " bytes, not an AES-256 key");
        }
        byte[] body = maybeBase64(data);
        if (body.length < 32 || body.length % 16 != 0) {
            throw new TeeflowException(DATA_ENTRY + " is " + body.length + " bytes: not an IV followed by AES blocks");
        }
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(Arrays.copyOf(body, 16)));
            return aes.doFinal(body, 16, body.length - 16);
        } catch (GeneralSecurityException e) {
            throw new TeeflowException(DATA_ENTRY + " does not decrypt with its key (bad padding): the file is damaged");
        } finally {
            Arrays.fill(aesKey, (byte) 0);
        }
    }

    static PrivateKey privateKey(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new TeeflowException("the result encryption private key is not a PKCS#8 PEM RSA key");
        }
    }

    /** Base64 text is decoded; binary is returned as is. */
    private static byte[] maybeBase64(byte[] b) {
        String s = new String(b, StandardCharsets.ISO_8859_1).strip();
        if (!s.isEmpty() && s.matches("[A-Za-z0-9+/=\\r\\n]+")) {
            try {
                return Base64.getMimeDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                return b;
            }
        }
        return b;
    }
}
