package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCommandTest {
    @TempDir
    Path dir;

    @Test
    void decryptsWhatOpensslEncryptedInTheIexecLayoutAndNeverPrintsTheKey() throws Exception {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        byte[] iv = new byte[16];
        new java.security.SecureRandom().nextBytes(iv);
        javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/CBC/PKCS5Padding");
        c.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                new javax.crypto.spec.IvParameterSpec(iv));
        byte[] body = c.doFinal("name,email\nann,ann@example.org\n".getBytes(StandardCharsets.UTF_8));
        byte[] file = new byte[16 + body.length];
        System.arraycopy(iv, 0, file, 0, 16);
        System.arraycopy(body, 0, file, 16, body.length);
        Files.write(dir.resolve("emails.csv.enc"), file);
        String b64 = Base64.getEncoder().encodeToString(key);

        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DATASET_KEY", b64);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String previous = System.getProperty("user.dir");
        int code = Main.run(new String[] {"dataset", "decrypt", dir.resolve("emails.csv.enc").toString(), "--key", "env:DATASET_KEY"},
                env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(Files.readString(dir.resolve("emails.csv"))).contains("ann@example.org");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain(b64).contains("emails.csv");
        assertThat(previous).isEqualTo(System.getProperty("user.dir"));
    }

    @Test
    void aWrongKeyIsAClearErrorWithoutTheKey() throws Exception {
        Files.write(dir.resolve("x.enc"), new byte[48]);
        String wrong = Base64.getEncoder().encodeToString(new byte[32]);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("K", wrong);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"dataset", "decrypt", dir.resolve("x.enc").toString(), "--key", "env:K"},
                env, new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: ").doesNotContain(wrong);
    }
}
