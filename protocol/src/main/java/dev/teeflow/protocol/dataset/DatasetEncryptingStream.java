package dev.teeflow.protocol.dataset;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An {@link OutputStream} that writes iExec's dataset format to a sink: the 16-byte IV, then the
 * AES-256-CBC/PKCS#7 ciphertext of everything written to it, hashing every byte it emits with
 * sha256 in the same pass. Memory stays at two fixed buffers whatever the size. The result is
 * available after {@link #close()}, which also closes the sink.
 */
public final class DatasetEncryptingStream extends OutputStream {
    /** Large chunks keep the JDK's AES-NI intrinsics busy and the per-call overhead negligible. */
    static final int CHUNK = 1 << 20;
    /** How often progress is reported, in plaintext bytes. */
    private static final long PROGRESS_STEP = 16L << 20;

    private final OutputStream sink;
    private final Cipher cipher;
    private final MessageDigest sha256;
    private final byte[] iv;
    private final byte[] out = new byte[CHUNK + 32];
    private final long expectedTotal;
    private final ProgressListener progress;
    private long plaintextBytes;
    private long emittedBytes;
    private long nextProgress = PROGRESS_STEP;
    private EncryptionResult result;

    /**
     * @param iv 16 bytes; a fresh random one ({@link DatasetEncryptor#randomIv()}) unless the exact
     *     earlier ciphertext of the same plaintext must be reproduced
     * @param expectedTotal plaintext size for progress reports, -1 when unknown
     */
    public DatasetEncryptingStream(OutputStream sink, DatasetKey key, byte[] iv, long expectedTotal,
                                   ProgressListener progress) throws IOException {
        if (iv.length != 16) {
            throw new IllegalArgumentException("the IV must be 16 bytes, got " + iv.length);
        }
        this.sink = sink;
        this.iv = iv.clone();
        this.expectedTotal = expectedTotal;
        this.progress = progress == null ? ProgressListener.NONE : progress;
        try {
            this.cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            byte[] raw = key.bytes();
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(raw, "AES"), new IvParameterSpec(iv));
            java.util.Arrays.fill(raw, (byte) 0);
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot do AES-256-CBC or SHA-256", e);
        }
        emit(this.iv, this.iv.length);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (result != null) {
            throw new IOException("stream closed");
        }
        while (len > 0) {
            int n = Math.min(len, CHUNK);
            int produced;
            try {
                produced = cipher.update(b, off, n, out, 0);
            } catch (GeneralSecurityException e) {
                throw new IOException("encryption failed", e);
            }
            emit(out, produced);
            off += n;
            len -= n;
            plaintextBytes += n;
            if (plaintextBytes >= nextProgress) {
                progress.progress(plaintextBytes, expectedTotal);
                nextProgress = plaintextBytes + PROGRESS_STEP;
            }
        }
    }

    private void emit(byte[] bytes, int n) throws IOException {
        if (n > 0) {
            sha256.update(bytes, 0, n);
            sink.write(bytes, 0, n);
            emittedBytes += n;
        }
    }

    @Override
    public void flush() throws IOException {
        sink.flush();
    }

    /** Writes the last padded block, closes the sink and fixes the result. */
    @Override
    public void close() throws IOException {
        if (result != null) {
            return;
        }
        try (sink) {
            int produced;
            try {
                produced = cipher.doFinal(out, 0);
            } catch (GeneralSecurityException e) {
                throw new IOException("encryption failed", e);
            }
            emit(out, produced);
            sink.flush();
        }
        result = new EncryptionResult("0x" + HexFormat.of().formatHex(sha256.digest()), emittedBytes, plaintextBytes, iv);
        progress.progress(plaintextBytes, expectedTotal < 0 ? plaintextBytes : expectedTotal);
    }

    /** The checksum, size and IV; only after {@link #close()}. */
    public EncryptionResult result() {
        if (result == null) {
            throw new IllegalStateException("the result is known only after close()");
        }
        return result;
    }
}
