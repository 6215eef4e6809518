package dev.teeflow.protocol.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** iExec's dataset checksum: {@code 0x} + lowercase hex sha256 of the encrypted file's bytes. */
public final class DatasetChecksum {
    private DatasetChecksum() {
    }

    public static String of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        }
    }

    public static String of(InputStream in) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[DatasetEncryptingStream.CHUNK];
        int n;
        while ((n = in.read(buf)) > 0) {
            sha.update(buf, 0, n);
        }
        return format(sha.digest());
    }

    public static String format(byte[] sha256) {
        return "0x" + HexFormat.of().formatHex(sha256);
    }

    /** True when {@code text} has the checksum's shape: 0x and 64 lowercase hex digits. */
    public static boolean isWellFormed(String text) {
        return text != null && text.matches("0x[0-9a-f]{64}");
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
