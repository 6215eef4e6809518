package dev.teeflow.actions.dataset;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.Field;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepOutput;
import dev.teeflow.engine.spi.StepSchema;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.files.AtomicFiles;
import dev.teeflow.protocol.dataset.DatasetChecksum;
import dev.teeflow.protocol.dataset.DatasetEncryptingStream;
import dev.teeflow.protocol.dataset.DatasetEncryptor;
import dev.teeflow.protocol.dataset.DatasetKey;
import dev.teeflow.protocol.dataset.EncryptionResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;

/**
 * {@code dataset.encrypt}: encrypts a file (or a deterministically zipped folder) in iExec's format
 * and keeps the ciphertext under the step's work folder and the key as a secret output.
 *
 * <p>A new IV makes a new checksum and so a new on-chain dataset, so this step never re-encrypts
 * unchanged plaintext: the engine re-runs it only when the plaintext changes, and when it runs
 * anyway (its ciphertext was deleted, an option changed) with the plaintext unchanged, it reuses the
 * recorded key and IV and so reproduces the very same bytes.
 */
public final class EncryptDatasetStep implements StepType, dev.teeflow.engine.spi.Adoptable {
    public static final String ID = "dataset.encrypt";
    static final String KEY_SECRET = "key";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Effect effect() {
        return Effect.PURE;
    }

    static final StepSchema SCHEMA = StepSchema.builder("Encrypts a file (or a deterministically zipped folder) in"
                    + " iExec's dataset format; unchanged plaintext keeps its key and IV, so its ciphertext stays the same.")
            .field(Field.path("file").required().contentInKey().doc("the plaintext file or folder"))
            .field(Field.secret("key").doc("bring an existing key (base64 of 32 bytes); default: a new random key"))
            .field(Field.bool("iexec-layout").withDefault(false)
                    .doc("also write the key where the iExec CLI expects it (.secrets/datasets/)"))
            .output(StepOutput.file("ciphertext", "the encrypted file, kept in the state directory"))
            .output(StepOutput.text("checksum", "0x + sha256 of the ciphertext, as the dataset's on-chain checksum"))
            .output(StepOutput.number("size", "the ciphertext's size in bytes"))
            .output(StepOutput.text("filename", "the ciphertext's file name"))
            .output(StepOutput.secret("key", "the dataset key"))
            .output(StepOutput.text("iv", "the IV, in hex"))
            .output(StepOutput.text("source", "a fingerprint of the plaintext"))
            .output(StepOutput.text("stamp", "the ciphertext's size and date, to notice edits cheaply"))
            .build();

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    @Override
    public Outputs run(StepContext ctx) throws Exception {
        Inputs in = ctx.inputs();
        Plaintext plain = Plaintext.inspect(ctx.address(), "file", in.path("file"), in.string("file"));
        Optional<DatasetKey> given = in.optionalSecret("key").map(s -> {
            ctx.redactor().register(s);
            return DatasetKeys.fromSecret(ctx.address(), "key", s);
        });
        Path target = ctx.workDir().resolve(plain.datasetFileName() + ".enc");

        Reuse reuse = Reuse.find(ctx, plain, given, target);
        DatasetKey key = reuse != null ? reuse.key : given.orElseGet(DatasetKey::generate);
        ctx.redactor().register(key.toBase64());
        EncryptionResult result = null;
        boolean restored = false;
        if (reuse != null && reuse.sameSource && !reuse.orphan && Files.isRegularFile(target) && Files.size(target) == reuse.size
                && DatasetChecksum.of(target).equals(reuse.checksum)) {
            ctx.log().info("plaintext unchanged: keeping " + plain.datasetFileName() + ".enc (" + reuse.checksum + ")");
            result = new EncryptionResult(reuse.checksum, reuse.size, plain.size(), reuse.iv);
        } else if (reuse != null) {
            result = encrypt(ctx, plain, key, reuse.iv, target, reuse.checksum);
            if (result == null) {
                ctx.log().warn(reuse.sameSource ? "the plaintext changed although its size and date did not: encrypting it afresh"
                        : "the plaintext changed: encrypting it afresh");
                key = reuse.orphan ? reuse.key : given.orElseGet(DatasetKey::generate); // never replace a key whose record is lost
                ctx.redactor().register(key.toBase64());
            } else {
                restored = !reuse.orphan;
                ctx.log().info("plaintext unchanged: reproduced the recorded ciphertext (" + result.checksum() + ")");
            }
        }
        if (result == null) {
            result = encrypt(ctx, plain, key, DatasetEncryptor.randomIv(), target, null);
            ctx.log().info("encrypted " + plain.datasetFileName() + " (" + result.plaintextSize() + " bytes) into "
                    + result.size() + " bytes, checksum " + result.checksum());
        }
        Optional<Outputs> previous = restored ? ctx.previousOutputs() : Optional.empty();
        if (restored) {
            // The same bytes as recorded (same key, IV and checksum): so is their stamp, and so are all outputs,
            // which lets what depends on them stay up to date on a runner that had to make them again.
            previous.flatMap(p -> p.string("stamp")).ifPresent(stamp -> FileStamp.restore(target, stamp));
        }
        SecretRef keyRef = ctx.storeSecret(KEY_SECRET, key.toBase64Bytes());
        if (in.bool("iexec-layout", false)) {
            Path keyFile = IexecKeyFile.location(ctx.projectDir(), plain.datasetFileName());
            IexecKeyFile.write(keyFile, key);
            ctx.log().info("wrote the key where the iExec CLI expects it: " + ctx.projectDir().relativize(keyFile));
        }
        return Outputs.builder()
                .file("ciphertext", target)
                .put("checksum", result.checksum())
                .put("size", result.size())
                .put("filename", target.getFileName().toString())
                .secret("key", keyRef)
                .put("iv", HexFormat.of().formatHex(result.iv()))
                .put("source", previous.flatMap(p -> p.string("source")).orElse(plain.fingerprint()))
                .put("stamp", FileStamp.of(target))
                .build();
    }

    /**
     * Encrypts into a temp file and renames it over {@code target}; with {@code expectedChecksum},
     * keeps the result only if it matches (else returns {@code null} and leaves {@code target} alone).
     */
    private static EncryptionResult encrypt(StepContext ctx, Plaintext plain, DatasetKey key, byte[] iv, Path target,
                                            String expectedChecksum) throws IOException {
        Path temp = AtomicFiles.createTemp(target.getParent(), target.getFileName().toString(), null);
        try {
            DatasetEncryptingStream enc;
            try (OutputStream file = Files.newOutputStream(temp)) {
                enc = new DatasetEncryptingStream(file, key, iv, plain.size(), (done, total) -> {
                    if (ctx.isCancelled()) {
                        throw new TeeflowException(ctx.address() + ": cancelled");
                    }
                    ctx.log().progress("encrypting " + plain.datasetFileName(), done, total, "bytes");
                });
                plain.writeTo(enc);
            }
            EncryptionResult r = enc.result();
            if (expectedChecksum != null && !expectedChecksum.equals(r.checksum())) {
                return null;
            }
            AtomicFiles.move(temp, target);
            return r;
        } catch (dev.teeflow.protocol.dataset.DatasetFormatException e) {
            throw new TeeflowException(ctx.address() + ": file: " + e.getMessage());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** {@code teeflow import}: the iExec CLI's ciphertext and key, checked against the plaintext (see {@link IexecCiphertextAdoption}). */
    @Override
    public Outputs adopt(StepContext ctx) throws Exception {
        return IexecCiphertextAdoption.adopt(ctx);
    }

    @Override
    public Check verify(StepContext ctx, Outputs recorded) throws Exception {
        Object file = recorded.get("ciphertext");
        if (!(file instanceof Outputs.FileOutput f)) {
            return Check.gone("no ciphertext recorded");
        }
        Optional<Secret> key = ctx.storedSecret(KEY_SECRET);
        if (key.isEmpty()) {
            return Check.gone("the dataset key is no longer in the state directory");
        }
        DatasetKey kept = parseKept(ctx, key.get()); // a key that is not a key is damage: it stops, it is not replaced
        boolean reproducible = recorded.string("iv").isPresent() && recorded.string("size").isPresent();
        Path path = f.path().isAbsolute() ? f.path() : ctx.projectDir().resolve(f.path());
        String checksum = recorded.string("checksum").orElse("");
        String problem = null;
        if (!Files.isRegularFile(path)) {
            problem = "the ciphertext " + path.getFileName() + " is not on this machine";
        } else if (!recorded.string("stamp").map(s -> s.equals(FileStamp.of(path))).orElse(false)
                && !DatasetChecksum.of(path).equals(checksum)) {
            problem = "the ciphertext " + path.getFileName() + " changed (its checksum is no longer " + checksum + ")";
        }
        if (problem != null) {
            // The plaintext is unchanged (the engine checks it before asking), so the kept key and IV give back the
            // very bytes that were published and deployed: a local cache to refill, nothing after it changes.
            return reproducible
                    ? Check.restorable("restore: " + problem + "; made again from the plaintext with the kept key and IV"
                            + " (the same bytes, checksum " + checksum + ")")
                    : Check.gone(problem);
        }
        if (ctx.inputs().bool("iexec-layout", false)) {
            String name = path.getFileName().toString().replaceFirst("\\.enc$", "");
            Path keyFile = IexecKeyFile.location(ctx.projectDir(), name);
            if (!IexecKeyFile.holds(keyFile, kept)) {
                return Check.restorable("restore: the iExec key file " + ctx.projectDir().relativize(keyFile)
                        + " is missing or holds another key; written again from the kept key");
            }
        }
        return Check.holds();
    }

    /** The kept key; one that does not parse is damage (it may be in the SMS already), never "make a new one". */
    private static DatasetKey parseKept(StepContext ctx, Secret stored) {
        try {
            return DatasetKey.parse(stored.bytes());
        } catch (RuntimeException e) {
            throw new TeeflowException(ctx.address() + ": the kept dataset key is damaged (not a 32-byte key in base64);"
                    + " it may already be in the SMS, so no new one is made: run 'teeflow state repair " + ctx.address()
                    + "' to see what is known and choose");
        }
    }

    /**
     * The key and IV of the last run, usable only when the plaintext looks unchanged since. {@code orphan}: the
     * record was lost (damaged), but an intact key was kept: it is reused, never replaced.
     */
    private record Reuse(DatasetKey key, byte[] iv, String checksum, long size, boolean orphan, boolean sameSource) {
        static Reuse find(StepContext ctx, Plaintext plain, Optional<DatasetKey> given, Path target) throws IOException {
            Optional<Outputs> prev = ctx.previousOutputs();
            if (prev.isEmpty()) {
                return orphan(ctx, given, target);
            }
            boolean sameSource = prev.get().string("source").map(plain.fingerprint()::equals).orElse(false);
            Optional<String> iv = prev.get().string("iv");
            Optional<String> checksum = prev.get().string("checksum");
            Optional<String> size = prev.get().string("size");
            Optional<Secret> stored = ctx.storedSecret(KEY_SECRET);
            if (iv.isEmpty() || checksum.isEmpty() || size.isEmpty() || stored.isEmpty()) {
                return null;
            }
            long recordedSize = Long.parseLong(size.get());
            // Another date (a fresh checkout, a file made again) may still be the same content: worth one try with the
            // recorded key and IV when the size fits (the checksum then says; a changed plaintext costs a second pass).
            if (!sameSource && !plain.mayEncryptTo(recordedSize)) {
                return null;
            }
            DatasetKey key = parseKept(ctx, stored.get());
            if (given.isPresent() && !given.get().sameAs(key)) {
                return null; // the owner brought another key: the ciphertext must change with it
            }
            return new Reuse(key, HexFormat.of().parseHex(iv.get()), checksum.get(), recordedSize, false, sameSource);
        }

        /**
         * No record, but a kept key (the record was damaged): the key is reused, and the IV is read back from the
         * kept ciphertext (iExec's format starts with it), so an unchanged plaintext gives the same ciphertext and
         * nothing after this step (publish, deploy, the SMS key) changes.
         */
        private static Reuse orphan(StepContext ctx, Optional<DatasetKey> given, Path target) throws IOException {
            Optional<Secret> stored = ctx.storedSecret(KEY_SECRET);
            if (stored.isEmpty()) {
                return null;
            }
            DatasetKey key = parseKept(ctx, stored.get());
            if (given.isPresent() && !given.get().sameAs(key)) {
                return null; // the owner brought another key: the ciphertext must change with it
            }
            ctx.log().info("no readable record, but an intact kept key: reusing it");
            if (Files.isRegularFile(target) && Files.size(target) >= 32) {
                byte[] iv;
                try (var in = Files.newInputStream(target)) {
                    iv = in.readNBytes(16);
                }
                return new Reuse(key, iv, DatasetChecksum.of(target), Files.size(target), true, true);
            }
            return new Reuse(key, DatasetEncryptor.randomIv(), null, -1, true, true);
        }
    }
}
