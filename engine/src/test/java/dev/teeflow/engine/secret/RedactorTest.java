package dev.teeflow.engine.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RedactorTest {
    private final Redactor redactor = new Redactor();

    @Test
    void masksTheValueAndItsBase64AndHexForms() {
        String secret = "s3cr3t-value";
        redactor.register(secret);
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        String text = "a " + secret + " b " + Base64.getEncoder().encodeToString(bytes)
                + " c " + HexFormat.of().formatHex(bytes) + " d " + HexFormat.of().formatHex(bytes).toUpperCase();
        assertThat(redactor.redact(text)).isEqualTo("a *** b *** c *** d ***");
    }

    @Test
    void masksEachLineOfAMultiLineSecret() {
        redactor.register("-----BEGIN KEY-----\nMIIBfirstline\nsecondLine==\n-----END KEY-----\n");
        assertThat(redactor.redact("leaked: secondLine== here")).isEqualTo("leaked: *** here");
    }

    @Test
    void leavesVeryShortValuesAloneRatherThanDestroyingTheOutput() {
        redactor.register("ab");
        assertThat(redactor.redact("a cab")).isEqualTo("a cab");
    }

    @Test
    void aSecretsToStringNeverShowsItsValue() {
        Secret s = Secret.ofText(SecretRef.env("MY_EMAIL"), "me@example.org");
        assertThat(s.toString()).isEqualTo("Secret(env:MY_EMAIL)").doesNotContain("example");
    }
}
