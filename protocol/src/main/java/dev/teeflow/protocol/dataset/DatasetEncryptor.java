package dev.teeflow.protocol.dataset;

import dev.teeflow.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Encrypts a dataset in iExec's format (16-byte IV, then AES-256-CBC/PKCS#7 ciphertext) and computes
 * its checksum in the same pass, streaming with fixed buffers whatever the size.
 */
public final class DatasetEncryptor {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DatasetEncryptor() {
    }

    public static byte[] randomIv() {
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        return iv;
    }

    /** Encrypts everything {@code in} gives into {@code out} (closed at the end). */
    public static EncryptionResult encrypt(InputStream in, OutputStream out, DatasetKey key, byte[] iv,
                                           long expectedTotal, ProgressListener progress) throws IOException {
        DatasetEncryptingStream enc = new DatasetEncryptingStream(out, key, iv, expectedTotal, progress);
        try (enc) {
            byte[] buf = new byte[DatasetEncryptingStream.CHUNK];
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                enc.write(buf, 0, n);
            }
        }
        return enc.result();
    }

    /**
     * Encrypts file {@code plaintext} into {@code target}, written atomically (temp file + rename), so
     * a crash or an error leaves no partial ciphertext behind.
     *
     * @param iv {@code null} for a fresh random IV
     */
    public static EncryptionResult encryptFile(Path plaintext, Path target, DatasetKey key, byte[] iv,
                                               ProgressListener progress) throws IOException {
        long size = Files.size(plaintext);
        byte[] theIv = iv == null ? randomIv() : iv;
        try (InputStream in = Files.newInputStream(plaintext)) {
            return AtomicFiles.write(target, null, out -> encrypt(in, out, key, theIv, size, progress));
        }
    }
}
