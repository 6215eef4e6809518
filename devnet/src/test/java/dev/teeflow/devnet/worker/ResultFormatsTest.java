package dev.teeflow.devnet.worker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Hash;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The worker's file formats, without chain or Docker: digests, names, zip, result encryption, dataset decryption. */
class ResultFormatsTest {
    @TempDir
    Path dir;

    @Test
    void aFileDigestIsItsSha256() throws Exception {
        Path f = Files.writeString(dir.resolve("result.txt"), "abc");
        // sha256("abc"), the FIPS 180-2 test vector
        assertThat(ResultPackager.digest(f)).isEqualTo("0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void aFolderDigestIsKeccakOverTheSortedChildrenSha256() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("b.txt"), "second");
        Files.writeString(out.resolve("a.txt"), "first");
        Files.createDirectories(out.resolve("sub")); // a sub-folder adds no bytes, as in iExec's post-compute
        byte[] a = DatasetCipher.sha256("first".getBytes(StandardCharsets.UTF_8));
        byte[] b = DatasetCipher.sha256("second".getBytes(StandardCharsets.UTF_8));
        byte[] both = new byte[64];
        System.arraycopy(a, 0, both, 0, 32);
        System.arraycopy(b, 0, both, 32, 32);
        assertThat(ResultPackager.digest(out)).isEqualTo("0x" + HexFormat.of().formatHex(Hash.sha3(both)));
    }

    @Test
    void anEmptyResultFileFails() throws Exception {
        Path f = Files.write(dir.resolve("empty"), new byte[0]);
        assertThatThrownBy(() -> ResultPackager.digest(f)).isInstanceOf(TaskFailure.class).hasMessageContaining("empty");
    }

    @Test
    void computedJsonMustPointInsideIexecOut() throws Exception {
        Files.writeString(dir.resolve("computed.json"), "{\"deterministic-output-path\":\"/etc/passwd\"}");
        assertThatThrownBy(() -> ResultPackager.deterministicOutput(dir)).isInstanceOf(TaskFailure.class)
                .hasMessageContaining("not inside /iexec_out");
        Files.writeString(dir.resolve("computed.json"), "{\"deterministic-output-path\":\"/iexec_out/../x\"}");
        assertThatThrownBy(() -> ResultPackager.deterministicOutput(dir)).isInstanceOf(TaskFailure.class);
        Files.writeString(dir.resolve("r.txt"), "x");
        Files.writeString(dir.resolve("computed.json"), "{\"deterministic-output-path\":\"/iexec_out/r.txt\"}");
        assertThat(ResultPackager.deterministicOutput(dir)).isEqualTo(dir.resolve("r.txt"));
        Files.writeString(dir.resolve("computed.json"), "{\"deterministic-output-path\":\"/iexec_out\"}");
        assertThat(ResultPackager.deterministicOutput(dir)).isEqualTo(dir);
    }

    @Test
    void aLinkLeadingOutOfIexecOutIsRefusedBeforeAnythingIsZipped() throws Exception {
        Path hostFile = Files.writeString(dir.resolve("host-secret"), "root:$6$hash");
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("result.txt"), "r");
        Files.createSymbolicLink(out.resolve("inside"), Path.of("result.txt"));
        ResultPackager.refuseLinksOut(out); // a link that stays inside is fine

        Files.createSymbolicLink(out.resolve("x"), hostFile);
        Files.createDirectories(out.resolve("sub"));
        Files.createSymbolicLink(out.resolve("sub/dir"), dir);
        Files.createSymbolicLink(out.resolve("dangling"), Path.of("/iexec_out/nowhere"));
        assertThatThrownBy(() -> ResultPackager.refuseLinksOut(out)).isInstanceOf(TaskFailure.class)
                .hasMessageContaining("/iexec_out/x").hasMessageContaining("/iexec_out/sub/dir")
                .hasMessageContaining("/iexec_out/dangling").hasMessageNotContaining("root:")
                .hasMessageNotContaining("/iexec_out/inside");
    }

    @Test
    void fileNamesLongerThan31CharactersFail() throws Exception {
        Files.writeString(dir.resolve("a".repeat(31)), "ok");
        ResultPackager.checkFileNames(dir);
        Files.writeString(dir.resolve("b".repeat(32)), "too long");
        assertThatThrownBy(() -> ResultPackager.checkFileNames(dir)).isInstanceOf(TaskFailure.class)
                .hasMessageContaining("b".repeat(32));
    }

    @Test
    void theZipHoldsPathsRelativeToIexecOut() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("result.txt"), "r");
        Files.createDirectories(out.resolve("sub"));
        Files.writeString(out.resolve("sub/x.txt"), "x");
        Path zip = dir.resolve("o.zip");
        ResultPackager.zip(out, zip);
        Map<String, byte[]> entries = WorkerpoolTest.unzip(Files.readAllBytes(zip));
        assertThat(entries.keySet()).containsExactly("result.txt", "sub/x.txt");
    }

    @Test
    void anEncryptedResultOpensWithThePrivateKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Path plain = Files.write(dir.resolve("plain.zip"), "zip bytes".getBytes(StandardCharsets.UTF_8));
        Path enc = dir.resolve("enc.zip");
        ResultPackager.encrypt(plain, Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8)), enc);
        Map<String, byte[]> entries = WorkerpoolTest.unzip(Files.readAllBytes(enc));
        assertThat(entries).containsOnlyKeys("iexec_out.zip.aes", "aes-key.rsa");
        Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        rsa.init(Cipher.DECRYPT_MODE, pair.getPrivate());
        byte[] key = rsa.doFinal(entries.get("aes-key.rsa"));
        byte[] body = entries.get("iexec_out.zip.aes");
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(body, 16)));
        assertThat(new String(aes.doFinal(body, 16, body.length - 16), StandardCharsets.UTF_8)).isEqualTo("zip bytes");
    }

    @Test
    void aRawPemInsteadOfBase64IsRefusedWithAHint() {
        assertThatThrownBy(() -> ResultPackager.parsePublicKey("-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----"))
                .isInstanceOf(TaskFailure.class).hasMessageContaining("base64");
    }

    @Test
    void datasetDecryptionRoundTripsAndAWrongKeyFails() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        byte[] enc = WorkerpoolTest.encryptDataset("secret rows".getBytes(StandardCharsets.UTF_8), key);
        assertThat(enc).hasSize(16 + 16);
        String b64 = Base64.getEncoder().encodeToString(key);
        assertThat(new String(DatasetCipher.decrypt(enc, b64, "0xd"), StandardCharsets.UTF_8)).isEqualTo("secret rows");
        byte[] other = new byte[32];
        String wrong = Base64.getEncoder().encodeToString(other);
        assertThatThrownBy(() -> DatasetCipher.decrypt(enc, wrong, "0xd")).isInstanceOf(TaskFailure.class)
                .hasMessageNotContaining(wrong).hasMessageNotContaining(b64);
        assertThat(DatasetCipher.checksum(enc)).matches("0x[0-9a-f]{64}");
    }

    @Test
    void iexecArgsSplitLikeAShell() {
        assertThat(ShellWords.split("a  'b c' \"d \\\"e\\\"\" f\\ g")).containsExactly("a", "b c", "d \"e\"", "f g");
        assertThat(ShellWords.split("")).isEmpty();
        assertThat(ShellWords.split("''")).containsExactly("");
        assertThatThrownBy(() -> ShellWords.split("'open")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void secretsAreMaskedLongestFirst() {
        SecretMasker m = new SecretMasker();
        m.add("abc");
        m.add("abcdef");
        assertThat(m.mask("x abcdef y abc")).isEqualTo("x *** y ***");
        assertThat(TaskRunner.lastLines("1\n2\n3\n", 2)).isEqualTo("2\n3");
    }
}
