package dev.teeflow.actions.dataset;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.NothingToAdoptException;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.files.AtomicFiles;
import dev.teeflow.protocol.dataset.DatasetChecksum;
import dev.teeflow.protocol.dataset.DatasetDecryptor;
import dev.teeflow.protocol.dataset.DatasetFormatException;
import dev.teeflow.protocol.dataset.DatasetKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code teeflow import} of a {@code dataset.encrypt} step: takes over the ciphertext the iExec CLI made
 * ({@code datasets/encrypted/<file>.enc}) with the key the pipeline names (the CLI's
 * {@code .secrets/datasets/<file>.key}), after checking that this key decrypts that ciphertext into exactly
 * the plaintext the pipeline names. Keeping that ciphertext (and its IV) keeps its checksum, and so the
 * deployed dataset. The key and the copy are kept only once every check passed.
 */
final class IexecCiphertextAdoption {
    static final String ENCRYPTED_DIR = "datasets/encrypted";

    private IexecCiphertextAdoption() {
    }

    static Outputs adopt(StepContext ctx) throws IOException {
        Plaintext plain = Plaintext.inspect(ctx.address(), "file", ctx.inputs().path("file"), ctx.inputs().string("file"));
        Secret keySecret = ctx.inputs().optionalSecret("key").orElseThrow(() -> new NothingToAdoptException(
                "no key: is given (key: file:.secrets/datasets/" + plain.datasetFileName() + ".key): apply encrypts"
                        + " with a new key, which gives a new checksum and so a new dataset on chain"));
        ctx.redactor().register(keySecret);
        String keyFrom = keySecret.source().toString();
        DatasetKey key;
        try {
            key = DatasetKeys.fromSecret(ctx.address(), "key", keySecret);
        } catch (TeeflowException e) {
            throw new TeeflowException(ctx.address() + ": the key in " + keyFrom + " is not a dataset key (the base64 of"
                    + " 32 bytes)");
        }
        String relative = ENCRYPTED_DIR + "/" + plain.datasetFileName() + ".enc";
        Path ciphertext = ctx.projectDir().resolve(relative);
        if (!Files.isDirectory(ctx.projectDir().resolve(ENCRYPTED_DIR))) {
            throw new NothingToAdoptException("no " + ENCRYPTED_DIR + " folder (no ciphertext of the iExec CLI's to keep):"
                    + " apply encrypts with the key");
        }
        if (!Files.isRegularFile(ciphertext)) {
            throw new TeeflowException(ctx.address() + ": " + relative + " is missing: import keeps the iExec CLI's"
                    + " ciphertext (its checksum is the deployed dataset's); without it apply would encrypt again");
        }
        byte[] decrypted;
        try (InputStream in = Files.newInputStream(ciphertext)) {
            DigestOutputStream digest = new DigestOutputStream(OutputStream.nullOutputStream(), sha256());
            DatasetDecryptor.decrypt(in, digest, key);
            decrypted = digest.getMessageDigest().digest();
        } catch (DatasetFormatException e) {
            throw new TeeflowException(ctx.address() + ": the key in " + keyFrom + " does not decrypt " + relative + " ("
                    + e.getMessage() + ")");
        }
        DigestOutputStream original = new DigestOutputStream(OutputStream.nullOutputStream(), sha256());
        plain.writeTo(original);
        if (!MessageDigest.isEqual(decrypted, original.getMessageDigest().digest())) {
            throw new TeeflowException(ctx.address() + ": " + relative + " decrypts with the key in " + keyFrom
                    + ", but not into " + ctx.inputs().string("file") + " (it was made from another version of that file);"
                    + " encrypt it again with the iExec CLI, or let apply encrypt and deploy a new dataset");
        }
        byte[] iv;
        try (InputStream in = Files.newInputStream(ciphertext)) {
            iv = in.readNBytes(16);
        }
        String checksum = DatasetChecksum.of(ciphertext);
        Path target = ctx.workDir().resolve(plain.datasetFileName() + ".enc");
        AtomicFiles.write(target, null, out -> Files.copy(ciphertext, out));
        SecretRef keyRef = ctx.storeSecret(EncryptDatasetStep.KEY_SECRET, key.toBase64Bytes());
        ctx.log().info("kept " + relative + " (" + checksum + "), which the key in " + keyFrom + " decrypts into "
                + ctx.inputs().string("file"));
        return Outputs.builder()
                .file("ciphertext", target)
                .put("checksum", checksum)
                .put("size", Files.size(target))
                .put("filename", target.getFileName().toString())
                .secret("key", keyRef)
                .put("iv", HexFormat.of().formatHex(iv))
                .put("source", plain.fingerprint())
                .put("stamp", FileStamp.of(target))
                .build();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
