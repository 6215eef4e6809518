package dev.teeflow.devnet.worker;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** iExec's dataset format: 16-byte IV, then AES-256-CBC with PKCS#7 padding; checksum = 0x + sha256 of the file. */
final class DatasetCipher {
    private DatasetCipher() {
    }

    static String checksum(byte[] encrypted) {
        return "0x" + HexFormat.of().formatHex(sha256(encrypted));
    }

    /** Decrypts with the base64 key from the SMS; a wrong key or a damaged file is a TaskFailure. */
    static byte[] decrypt(byte[] encrypted, String base64Key, String dataset) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new TaskFailure("the SMS key of dataset " + dataset + " is not base64");
        }
        if (key.length != 32) {
            throw new TaskFailure("the SMS key of dataset " + dataset + " is " + key.length + " bytes, expected 32 (AES-256)");
        }
        if (encrypted.length < 32 || encrypted.length % 16 != 0) {
            throw new TaskFailure("dataset " + dataset + " is not an iExec encrypted file (IV + AES-256-CBC): "
                    + encrypted.length + " bytes");
        }
        try {
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new IvParameterSpec(Arrays.copyOfRange(encrypted, 0, 16)));
            return c.doFinal(encrypted, 16, encrypted.length - 16);
        } catch (GeneralSecurityException e) {
            throw new TaskFailure("cannot decrypt dataset " + dataset + " with its SMS key (wrong key or damaged file)");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
