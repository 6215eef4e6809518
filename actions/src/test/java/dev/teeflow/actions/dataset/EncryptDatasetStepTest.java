package dev.teeflow.actions.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.testing.FakeStepContext;
import dev.teeflow.protocol.dataset.DatasetChecksum;
import dev.teeflow.protocol.dataset.DatasetDecryptor;
import dev.teeflow.protocol.dataset.DatasetKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptDatasetStepTest {
    static final String ADDRESS = "dataset.emails.encrypt";
    final EncryptDatasetStep step = new EncryptDatasetStep();

    @TempDir
    Path project;
    byte[] original;

    @BeforeEach
    void dataset() throws Exception {
        original = new byte[200_003];
        new Random(7).nextBytes(original);
        Files.createDirectories(project.resolve("datasets/original"));
        Files.write(project.resolve("datasets/original/emails.xlsx"), original);
    }

    @Test
    void encryptsTheFileAndKeepsTheKeyAsASecretOutput() throws Exception {
        FakeStepContext ctx = context(Map.of("file", "datasets/original/emails.xlsx"));
        Outputs out = step.run(ctx);

        Path enc = ciphertext(out);
        assertThat(enc).startsWith(ctx.workDir()).hasFileName("emails.xlsx.enc");
        assertThat(out.get("checksum")).isEqualTo(DatasetChecksum.of(enc));
        assertThat(out.get("size")).isEqualTo(Files.size(enc)).isEqualTo(16L + 16 * (original.length / 16 + 1));
        assertThat(out.get("filename")).isEqualTo("emails.xlsx.enc");
        assertThat(out.get("key")).isEqualTo(SecretRef.step(ADDRESS, "key"));
        DatasetKey key = storedKey(ctx);
        assertThat(decrypt(enc, key)).isEqualTo(original);
        assertThat(String.join("\n", ctx.lines())).doesNotContain(key.toBase64());
        assertThat(out.values().values()).noneMatch(v -> v.toString().contains(key.toBase64()));
        try (var files = Files.list(ctx.workDir())) {
            assertThat(files).containsExactly(enc); // no temp file left
        }
    }

    @Test
    void neverReEncryptsUnchangedPlaintextEvenWhenItsCiphertextWasDeleted() throws Exception {
        FakeStepContext first = context(Map.of("file", "datasets/original/emails.xlsx"));
        Outputs out1 = step.run(first);
        byte[] bytes1 = Files.readAllBytes(ciphertext(out1));

        FakeStepContext second = rerun(first, out1, Map.of("file", "datasets/original/emails.xlsx", "iexec-layout", true));
        Outputs out2 = step.run(second);
        assertThat(out2.get("checksum")).isEqualTo(out1.get("checksum"));
        assertThat(second.lines()).anyMatch(l -> l.contains("keeping"));

        Files.delete(ciphertext(out1));
        FakeStepContext third = rerun(second, out2, Map.of("file", "datasets/original/emails.xlsx"));
        Outputs out3 = step.run(third);
        assertThat(out3.get("checksum")).isEqualTo(out1.get("checksum"));
        assertThat(Files.readAllBytes(ciphertext(out3))).isEqualTo(bytes1);
        assertThat(storedKey(third).sameAs(storedKey(first))).isTrue();
    }

    /** A damaged record (previous outputs unknown) used to make a new key over the intact one: a new dataset, paid again. */
    @Test
    void aLostRecordWithAnIntactKeyReusesTheKeyAndReproducesTheSameCiphertext() throws Exception {
        FakeStepContext first = context(Map.of("file", "datasets/original/emails.xlsx"));
        Outputs out1 = step.run(first);
        byte[] bytes1 = Files.readAllBytes(ciphertext(out1));

        FakeStepContext afterDamage = context(Map.of("file", "datasets/original/emails.xlsx")); // no previous outputs
        first.storedSecrets().forEach((name, s) -> afterDamage.storeSecret(name, s.bytes()));
        Outputs out2 = step.run(afterDamage);
        assertThat(storedKey(afterDamage).sameAs(storedKey(first))).isTrue();
        assertThat(out2.get("checksum")).isEqualTo(out1.get("checksum"));
        assertThat(out2.get("iv")).isEqualTo(out1.get("iv"));
        assertThat(Files.readAllBytes(ciphertext(out2))).isEqualTo(bytes1);

        original[0] ^= 1; // and when the plaintext did change meanwhile, the intact key is still kept
        Files.write(project.resolve("datasets/original/emails.xlsx"), original);
        FakeStepContext changed = context(Map.of("file", "datasets/original/emails.xlsx"));
        first.storedSecrets().forEach((name, s) -> changed.storeSecret(name, s.bytes()));
        Outputs out3 = step.run(changed);
        assertThat(storedKey(changed).sameAs(storedKey(first))).isTrue();
        assertThat(decrypt(ciphertext(out3), storedKey(changed))).isEqualTo(original);
    }

    /** A kept key from before fingerprints, damaged (5 bytes): never replaced by a new key, the step stops. */
    @Test
    void aKeptKeyThatIsNotAKeyStopsTheStepInsteadOfBeingReplaced() throws Exception {
        FakeStepContext first = context(Map.of("file", "datasets/original/emails.xlsx"));
        Outputs out1 = step.run(first);
        FakeStepContext next = context(Map.of("file", "datasets/original/emails.xlsx")).withPreviousOutputs(out1);
        next.storeSecret("key", "AAAAA".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> step.verify(next, out1)).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("the kept dataset key is damaged").hasMessageContaining("teeflow state repair");
        assertThatThrownBy(() -> step.run(next)).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("the kept dataset key is damaged");
        assertThat(next.storedSecret("key").orElseThrow().text()).isEqualTo("AAAAA");
    }

    @Test
    void changedPlaintextGetsAFreshKeyAndIv() throws Exception {
        FakeStepContext first = context(Map.of("file", "datasets/original/emails.xlsx"));
        Outputs out1 = step.run(first);
        original[0] ^= 1;
        Files.write(project.resolve("datasets/original/emails.xlsx"), original);

        FakeStepContext second = rerun(first, out1, Map.of("file", "datasets/original/emails.xlsx"));
        Outputs out2 = step.run(second);
        assertThat(out2.get("checksum")).isNotEqualTo(out1.get("checksum"));
        assertThat(out2.get("iv")).isNotEqualTo(out1.get("iv"));
        assertThat(storedKey(second).sameAs(storedKey(first))).isFalse();
        assertThat(decrypt(ciphertext(out2), storedKey(second))).isEqualTo(original);
    }

    @Test
    void usesTheOwnersKeyAndWritesTheIexecKeyFileOwnerOnly() throws Exception {
        DatasetKey mine = DatasetKey.generate();
        FakeStepContext ctx = context(Map.of("file", "datasets/original/emails.xlsx",
                "key", new Secret(SecretRef.env("DATASET_KEY"), mine.toBase64Bytes()), "iexec-layout", true));
        Outputs out = step.run(ctx);

        assertThat(decrypt(ciphertext(out), mine)).isEqualTo(original);
        assertThat(storedKey(ctx).sameAs(mine)).isTrue();
        Path keyFile = project.resolve(".secrets/datasets/emails.xlsx.key");
        assertThat(Files.readString(keyFile)).isEqualTo(mine.toBase64());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(step.verify(rerun(ctx, out, Map.of("file", "datasets/original/emails.xlsx", "iexec-layout", true)), out)
                .stillHolds()).isTrue();
    }

    @Test
    void zipsAFolderDeterministicallyBeforeEncrypting() throws Exception {
        Path folder = Files.createDirectories(project.resolve("datasets/original/mail"));
        Files.writeString(folder.resolve("b.csv"), "b");
        Files.writeString(folder.resolve("a.csv"), "a");
        FakeStepContext ctx = context(Map.of("file", "datasets/original/mail"));
        Outputs out = step.run(ctx);

        assertThat(out.get("filename")).isEqualTo("mail.zip.enc");
        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(decrypt(ciphertext(out), storedKey(ctx))))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        assertThat(names).containsExactly("a.csv", "b.csv");
    }

    @Test
    void verifyNoticesAMissingOrAlteredCiphertextOrALostKey() throws Exception {
        FakeStepContext ctx = context(Map.of("file", "datasets/original/emails.xlsx"));
        Outputs out = step.run(ctx);
        assertThat(step.verify(ctx, out).stillHolds()).isTrue();

        FakeStepContext withoutKey = context(Map.of("file", "datasets/original/emails.xlsx"));
        assertThat(step.verify(withoutKey, out).reason()).contains("key");

        byte[] bytes = Files.readAllBytes(ciphertext(out));
        bytes[20] ^= 1;
        Files.write(ciphertext(out), bytes);
        Files.setLastModifiedTime(ciphertext(out), java.nio.file.attribute.FileTime.fromMillis(1000));
        assertThat(step.verify(ctx, out).reason()).contains("changed");

        Files.delete(ciphertext(out));
        assertThat(step.verify(ctx, out).reason()).contains("not on this machine");
    }

    @Test
    void aMissingOrAlteredCiphertextWithTheKeyKeptIsRestorable() throws Exception {
        FakeStepContext ctx = context(Map.of("file", "datasets/original/emails.xlsx"));
        Outputs out = step.run(ctx);
        Files.delete(ciphertext(out));
        var check = step.verify(ctx, out);
        assertThat(check.stillHolds()).isFalse();
        assertThat(check.restorable()).isTrue();
        assertThat(check.reason()).startsWith("restore: ").contains("kept key and IV").contains(out.string("checksum").orElseThrow());

        FakeStepContext withoutKey = context(Map.of("file", "datasets/original/emails.xlsx"));
        assertThat(step.verify(withoutKey, out).restorable()).as("no kept key: nothing to restore from").isFalse();
    }

    /**
     * A fresh runner: the state (outputs and key) came from elsewhere, the ciphertext is not here and the plaintext
     * has another date (a new checkout). Running gives back every recorded output, byte for byte and stamp for stamp.
     */
    @Test
    void aFreshRunnerWithTheKeptKeyRestoresTheVeryOutputsRecorded() throws Exception {
        FakeStepContext first = context(Map.of("file", "datasets/original/emails.xlsx"));
        Outputs out = step.run(first);
        byte[] bytes = Files.readAllBytes(ciphertext(out));
        Files.delete(ciphertext(out));
        Path plain = project.resolve("datasets/original/emails.xlsx");
        Files.setLastModifiedTime(plain, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(plain).toMillis() + 60_000));

        Outputs again = step.run(rerun(first, out, Map.of("file", "datasets/original/emails.xlsx")));
        assertThat(Files.readAllBytes(ciphertext(again))).isEqualTo(bytes);
        assertThat(again.values()).isEqualTo(out.values());
    }

    @Test
    void aChangedPlaintextOfTheSameSizeOnAFreshRunnerGetsANewKeyAndIv() throws Exception {
        FakeStepContext first = context(Map.of("file", "datasets/original/emails.xlsx"));
        Outputs out = step.run(first);
        Files.delete(ciphertext(out));
        Path plain = project.resolve("datasets/original/emails.xlsx");
        byte[] content = Files.readAllBytes(plain);
        content[0] ^= 1;
        Files.write(plain, content);

        FakeStepContext next = rerun(first, out, Map.of("file", "datasets/original/emails.xlsx"));
        Outputs again = step.run(next);
        assertThat(again.string("checksum")).isNotEqualTo(out.string("checksum"));
        assertThat(again.string("iv")).isNotEqualTo(out.string("iv"));
        assertThat(storedKey(next).sameAs(storedKey(first))).isFalse();
    }

    @Test
    void badInputsFailClearlyAndLeaveNothingBehind() throws Exception {
        Files.createFile(project.resolve("empty.bin"));
        Path loop = Files.createDirectories(project.resolve("loop/inner"));
        Files.writeString(loop.resolve("f.txt"), "x");
        Files.createSymbolicLink(loop.resolve("back"), project.resolve("loop"));

        expectFailure(Map.of("file", "nope.xlsx"), "does not exist");
        expectFailure(Map.of("file", "empty.bin"), "is empty");
        expectFailure(Map.of("file", "loop"), "loop");
        String notAKey = "my-secret-but-not-a-key";
        String message = expectFailure(Map.of("file", "datasets/original/emails.xlsx",
                "key", Secret.ofText(SecretRef.env("DATASET_KEY"), notAKey)), "env:DATASET_KEY");
        assertThat(message).contains("base64").doesNotContain(notAKey);
    }

    @Test
    void anUnreadableFileIsAClearError() throws Exception {
        Path f = project.resolve("datasets/original/emails.xlsx");
        makeUnreadable(f);
        // as root the stand-in is a link out of the project, which is refused before it is opened
        expectFailure(Map.of("file", "datasets/original/emails.xlsx"),
                Files.isSymbolicLink(f) ? "leaves the project folder through a symbolic link" : "permission denied");
    }

    /**
     * chmod 000 stops everyone but root. CI runs as root, so there the file becomes a link to a write-only kernel
     * attribute, which refuses reads to root too.
     */
    private static void makeUnreadable(Path f) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
            return;
        }
        Path writeOnly = Path.of("/sys/bus/pci/rescan");
        assumeThat(refusesReads(writeOnly)).as("a write-only sysfs attribute to stand for an unreadable file").isTrue();
        Files.delete(f);
        Files.createSymbolicLink(f, writeOnly);
    }

    private static boolean refusesReads(Path p) {
        try (var in = Files.newInputStream(p)) {
            return false;
        } catch (java.nio.file.AccessDeniedException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String expectFailure(Map<String, Object> inputs, String expected) throws Exception {
        FakeStepContext ctx = context(inputs);
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> step.run(ctx));
        assertThat(t).isInstanceOf(TeeflowException.class).hasMessageContaining(ADDRESS).hasMessageContaining(expected);
        assertThat(ctx.storedSecrets()).isEmpty();
        if (Files.exists(ctx.workDir())) {
            try (var files = Files.list(ctx.workDir())) {
                assertThat(files).isEmpty();
            }
        }
        assertThat(project.resolve(".secrets")).doesNotExist();
        return t.getMessage();
    }

    private FakeStepContext context(Map<String, Object> inputs) {
        return new FakeStepContext(ADDRESS, project, inputs);
    }

    /** A context for the next run: the previous outputs and the stored key, as the engine keeps them. */
    private FakeStepContext rerun(FakeStepContext before, Outputs outputs, Map<String, Object> inputs) {
        FakeStepContext next = context(new HashMap<>(inputs)).withPreviousOutputs(outputs);
        before.storedSecrets().forEach((name, s) -> next.storeSecret(name, s.bytes()));
        return next;
    }

    static Path ciphertext(Outputs out) {
        return ((Outputs.FileOutput) out.get("ciphertext")).path();
    }

    static DatasetKey storedKey(FakeStepContext ctx) {
        return DatasetKey.parse(ctx.storedSecret("key").orElseThrow().text());
    }

    static byte[] decrypt(Path enc, DatasetKey key) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var in = Files.newInputStream(enc)) {
            DatasetDecryptor.decrypt(in, out, key);
        }
        return out.toByteArray();
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
