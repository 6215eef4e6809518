package dev.teeflow.protocol.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.files.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatasetEncryptorTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 1 << 20, (3 << 20) + 5})
    void encryptsInIexecFormatAndDecryptsBack(int size) throws Exception {
        byte[] plain = random(size);
        DatasetKey key = DatasetKey.generate();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EncryptionResult r = DatasetEncryptor.encrypt(new ByteArrayInputStream(plain), out, key,
                DatasetEncryptor.randomIv(), size, null);
        byte[] file = out.toByteArray();

        assertThat(file.length).isEqualTo(16 + 16 * (size / 16 + 1));
        assertThat(r.size()).isEqualTo(file.length);
        assertThat(r.plaintextSize()).isEqualTo(size);
        assertThat(Arrays.copyOf(file, 16)).isEqualTo(r.iv());
        assertThat(r.checksum()).isEqualTo("0x" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
        assertThat(DatasetChecksum.isWellFormed(r.checksum())).isTrue();

        ByteArrayOutputStream back = new ByteArrayOutputStream();
        DatasetDecryptor.decrypt(new ByteArrayInputStream(file), back, key);
        assertThat(back.toByteArray()).isEqualTo(plain);
    }

    @Test
    void sameKeyAndIvReproduceTheSameBytesAndFreshIvsDiffer() throws Exception {
        Path plain = Files.write(dir.resolve("p.bin"), random(100_000));
        DatasetKey key = DatasetKey.generate();
        EncryptionResult a = DatasetEncryptor.encryptFile(plain, dir.resolve("a.enc"), key, null, null);
        EncryptionResult b = DatasetEncryptor.encryptFile(plain, dir.resolve("b.enc"), key, a.iv(), null);
        EncryptionResult c = DatasetEncryptor.encryptFile(plain, dir.resolve("c.enc"), key, null, null);
        assertThat(b.checksum()).isEqualTo(a.checksum());
        assertThat(Files.readAllBytes(dir.resolve("b.enc"))).isEqualTo(Files.readAllBytes(dir.resolve("a.enc")));
        assertThat(c.checksum()).isNotEqualTo(a.checksum());
        assertThat(DatasetChecksum.of(dir.resolve("a.enc"))).isEqualTo(a.checksum());
    }

    @Test
    void reportsProgressEndingWithTheTotal() throws Exception {
        int size = 40 << 20;
        List<long[]> seen = new ArrayList<>();
        DatasetEncryptor.encrypt(new ByteArrayInputStream(new byte[size]), OutputStreamSink.discard(),
                DatasetKey.generate(), DatasetEncryptor.randomIv(), size, (d, t) -> seen.add(new long[] {d, t}));
        assertThat(seen).hasSizeGreaterThanOrEqualTo(3);
        assertThat(seen.get(seen.size() - 1)).containsExactly(size, size);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)[0]).isGreaterThanOrEqualTo(seen.get(i - 1)[0]);
        }
    }

    @Test
    void wrongKeyIsAClearError() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DatasetEncryptor.encrypt(new ByteArrayInputStream(random(1000)), out, DatasetKey.generate(),
                DatasetEncryptor.randomIv(), -1, null);
        // A wrong key passes the padding check about 1 time in 256; try keys until one fails it.
        DatasetFormatException failure = null;
        for (int i = 0; i < 20 && failure == null; i++) {
            try {
                DatasetDecryptor.decrypt(new ByteArrayInputStream(out.toByteArray()), new ByteArrayOutputStream(),
                        DatasetKey.generate());
            } catch (DatasetFormatException e) {
                failure = e;
            }
        }
        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains("wrong key");
    }

    @Test
    void truncatedOrMisalignedFilesAreRejected() {
        DatasetKey key = DatasetKey.generate();
        assertThatThrownBy(() -> DatasetDecryptor.decrypt(new ByteArrayInputStream(new byte[10]),
                new ByteArrayOutputStream(), key)).isInstanceOf(DatasetFormatException.class).hasMessageContaining("too short");
        assertThatThrownBy(() -> DatasetDecryptor.decrypt(new ByteArrayInputStream(new byte[16 + 20]),
                new ByteArrayOutputStream(), key)).isInstanceOf(DatasetFormatException.class).hasMessageContaining("multiple of 16");
    }

    @Test
    void aFailedWriteLeavesNoFileBehind() throws Exception {
        Path target = dir.resolve("out.enc");
        assertThatThrownBy(() -> AtomicFiles.write(target, null, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        })).hasMessage("disk full");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aFailingSinkStopsTheEncryptionWithItsError() {
        java.io.OutputStream fullDisk = new java.io.OutputStream() {
            long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > (2 << 20)) {
                    throw new IOException("No space left on device");
                }
            }
        };
        assertThatThrownBy(() -> DatasetEncryptor.encrypt(new ByteArrayInputStream(new byte[20 << 20]), fullDisk,
                DatasetKey.generate(), DatasetEncryptor.randomIv(), -1, null))
                .isInstanceOf(IOException.class).hasMessageContaining("No space left");
    }

    static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    /** An output stream that throws its bytes away. */
    static final class OutputStreamSink {
        static java.io.OutputStream discard() {
            return java.io.OutputStream.nullOutputStream();
        }
    }
}
