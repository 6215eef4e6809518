package dev.teeflow.protocol.dataset;

/**
 * What an encryption produced.
 *
 * @param checksum {@code 0x} + lowercase hex sha256 of the whole encrypted file (IV included), as
 *     iExec's pre-compute compares it
 * @param size bytes of the encrypted file (16 + padded ciphertext)
 * @param plaintextSize bytes that went in
 * @param iv the 16-byte IV written at the start of the file (not secret: it is in the file)
 */
public record EncryptionResult(String checksum, long size, long plaintextSize, byte[] iv) {
    public EncryptionResult {
        iv = iv.clone();
    }

    @Override
    public byte[] iv() {
        return iv.clone();
    }
}
