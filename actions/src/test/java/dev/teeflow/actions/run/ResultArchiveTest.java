package dev.teeflow.actions.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.TeeflowException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultArchiveTest {
    static KeyPair pair;
    static KeyPair other;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        pair = g.generateKeyPair();
        other = g.generateKeyPair();
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Test
    void anEncryptedResultOpensWithTheRightKeyOnly() throws Exception {
        byte[] plain = TestWorker.zip(List.of("result.txt"), List.of("hello".getBytes(StandardCharsets.UTF_8)));
        byte[] enc = TestWorker.encrypt(plain, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        Map<String, byte[]> entries = SafeZip.read(enc, 1 << 20);
        assertThat(ResultDecryptor.isEncrypted(entries)).isTrue();
        byte[] opened = ResultDecryptor.decrypt(entries.get(ResultDecryptor.KEY_ENTRY), entries.get(ResultDecryptor.DATA_ENTRY),
                pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        assertThat(opened).isEqualTo(plain);
        // the base64 variant older workers wrote
        byte[] b64 = ResultDecryptor.decrypt(Base64.getEncoder().encode(entries.get(ResultDecryptor.KEY_ENTRY)),
                Base64.getEncoder().encode(entries.get(ResultDecryptor.DATA_ENTRY)), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        assertThat(b64).isEqualTo(plain);
        assertThatThrownBy(() -> ResultDecryptor.decrypt(entries.get(ResultDecryptor.KEY_ENTRY),
                entries.get(ResultDecryptor.DATA_ENTRY), pem("PRIVATE KEY", other.getPrivate().getEncoded())))
                .isInstanceOf(TeeflowException.class).hasMessageContaining("another key");
    }

    @Test
    void zipSlipIsRefused(@TempDir Path dir) throws Exception {
        byte[] evil = TestWorker.zip(List.of("ok.txt", "../escape.txt"), List.of("a".getBytes(), "b".getBytes()));
        Path target = Files.createDirectories(dir.resolve("out"));
        assertThatThrownBy(() -> SafeZip.unzip(evil, target)).hasMessageContaining("outside");
        assertThat(dir.resolve("escape.txt")).doesNotExist();
        byte[] absolute = TestWorker.zip(List.of("/etc/x"), List.of("b".getBytes()));
        assertThatThrownBy(() -> SafeZip.unzip(absolute, target)).hasMessageContaining("outside");
    }

    /** A small archive of zeros: 8 entries of 16 MiB each, about 130 KB deflated (a 1000:1 bomb). */
    static byte[] bomb() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
            z.putNextEntry(new java.util.zip.ZipEntry("first.txt"));
            z.write("kept before the bomb?".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
            for (int i = 0; i < 8; i++) {
                z.putNextEntry(new java.util.zip.ZipEntry("zeros-" + i));
                for (int m = 0; m < 16; m++) {
                    z.write(zeros);
                }
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void aZipBombIsRefusedWhileStreamingAndLeavesNothing(@TempDir Path dir) throws Exception {
        byte[] bomb = bomb();
        Path target = Files.createDirectories(dir.resolve("out"));
        assertThatThrownBy(() -> SafeZip.unzip(bomb, target)).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("times its size").hasMessageContaining("nothing of it is kept");
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(target); // no staging folder beside it
        }
        try (var inside = Files.list(target)) {
            assertThat(inside).isEmpty(); // not even the entry before the bomb
        }
        assertThatThrownBy(() -> SafeZip.read(bomb, Long.MAX_VALUE)).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("times its size");
        assertThatThrownBy(() -> SafeZip.read(bomb, Long.MAX_VALUE, java.util.Set.of("aes-key.rsa")))
                .as("entries that are not kept still count").hasMessageContaining("times its size");
    }

    @Test
    void aRefusedArchiveKeepsNoEntryBeforeTheBadOneAndTheNextGoodOneUnpacks(@TempDir Path dir) throws Exception {
        byte[] evil = TestWorker.zip(List.of("ok.txt", "../escape.txt"), List.of("a".getBytes(), "b".getBytes()));
        Path target = Files.createDirectories(dir.resolve("out"));
        assertThatThrownBy(() -> SafeZip.unzip(evil, target)).hasMessageContaining("outside");
        assertThat(target.resolve("ok.txt")).doesNotExist();
        byte[] good = TestWorker.zip(List.of("result.txt"), List.of("fine".getBytes()));
        assertThat(SafeZip.unzip(good, target)).containsExactly("result.txt");
        assertThat(target.resolve("result.txt")).hasContent("fine");
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(target);
        }
    }

    @Test
    void aWellCompressedSmallResultIsNotABomb(@TempDir Path dir) throws Exception {
        byte[] text = "0,0,0,0\n".repeat(2_000_000).getBytes(StandardCharsets.UTF_8); // 16 MB, compresses ~1000:1
        byte[] zip = TestWorker.zip(List.of("rows.csv"), List.of(text));
        assertThat(SafeZip.unzip(zip, dir.resolve("out"))).containsExactly("rows.csv");
    }

    @Test
    void theDeterministicOutputIsFoundThroughComputedJson(@TempDir Path dir) throws Exception {
        byte[] zip = TestWorker.zip(List.of("computed.json", "out/answer.txt"), List.of(
                "{\"deterministic-output-path\":\"/iexec_out/out/answer.txt\"}".getBytes(), "42\n".getBytes()));
        List<String> files = SafeZip.unzip(zip, dir);
        assertThat(files).containsExactly("computed.json", "out/answer.txt");
        Path result = FetchStep.deterministicOutput(dir, files);
        assertThat(result).isEqualTo(dir.resolve("out/answer.txt"));
        assertThat(FetchStep.smallText(result)).isEqualTo("42");
    }
}
