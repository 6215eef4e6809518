package dev.teeflow.protocol.dataset;

import dev.teeflow.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Reverses {@link DatasetEncryptor}: reads the IV, then decrypts the rest, streaming. */
public final class DatasetDecryptor {
    private DatasetDecryptor() {
    }

    /** Decrypts {@code in} into {@code out}; returns the plaintext size. Closes neither stream. */
    public static long decrypt(InputStream in, OutputStream out, DatasetKey key) throws IOException {
        byte[] iv = in.readNBytes(16);
        if (iv.length < 16) {
            throw new DatasetFormatException("too short to be an iExec dataset file (" + iv.length
                    + " bytes; expected a 16-byte IV followed by the ciphertext)");
        }
        Cipher cipher;
        try {
            cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            byte[] raw = key.bytes();
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(raw, "AES"), new IvParameterSpec(iv));
            java.util.Arrays.fill(raw, (byte) 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot do AES-256-CBC", e);
        }
        byte[] buf = new byte[DatasetEncryptingStream.CHUNK];
        byte[] plain = new byte[DatasetEncryptingStream.CHUNK + 32];
        long total = 0;
        long cipherBytes = 0;
        int n;
        try {
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                cipherBytes += n;
                int produced = cipher.update(buf, 0, n, plain, 0);
                out.write(plain, 0, produced);
                total += produced;
            }
            if (cipherBytes == 0 || cipherBytes % 16 != 0) {
                throw new DatasetFormatException("not an iExec dataset file: the ciphertext after the IV is "
                        + cipherBytes + " bytes, not a positive multiple of 16");
            }
            int produced = cipher.doFinal(plain, 0);
            out.write(plain, 0, produced);
            total += produced;
        } catch (BadPaddingException e) {
            throw new DatasetFormatException("decryption failed: wrong key, or not an iExec dataset file"
                    + " (the padding check failed)");
        } catch (IllegalBlockSizeException e) {
            throw new DatasetFormatException("not an iExec dataset file: bad ciphertext length");
        } catch (GeneralSecurityException e) {
            throw new IOException("decryption failed", e);
        }
        return total;
    }

    /** Decrypts file {@code ciphertext} into {@code target}, written atomically; returns the plaintext size. */
    public static long decryptFile(Path ciphertext, Path target, DatasetKey key) throws IOException {
        try (InputStream in = Files.newInputStream(ciphertext)) {
            return AtomicFiles.write(target, null, out -> decrypt(in, out, key));
        }
    }
}
