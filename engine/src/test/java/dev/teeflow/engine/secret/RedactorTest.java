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
    void aSecretInsideLongerBase64TextIsMaskedAtEveryAlignment() {
        String secret = "canary-Secret-Value-42!";
        redactor.register(secret);
        for (String prefix : new String[] {"", "u", "us", "user:", "Authorization: Basic user:"}) {
            for (String suffix : new String[] {"", "!", "@host", "\n"}) {
                String encoded = Base64.getEncoder().encodeToString((prefix + secret + suffix).getBytes(StandardCharsets.UTF_8));
                String redacted = redactor.redact("echo " + encoded);
                // what is left of the encoded text is at most the bytes around the secret, never enough to decode it
                int around = (prefix.length() + suffix.length()) * 4 / 3 + 4;
                assertThat(redacted).as(prefix + "|" + suffix).contains("***");
                for (String piece : redacted.substring(5).split("\\*\\*\\*")) {
                    assertThat(piece.length()).as(prefix + "|" + suffix + ": " + redacted).isLessThanOrEqualTo(around);
                }
            }
        }
    }

    @Test
    void theUrlEncodedFormIsMasked() {
        String secret = "p@ss w0rd/ü+x";
        redactor.register(secret);
        String form = java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8);
        assertThat(redactor.redact("GET /login?pw=" + form + "&x=1")).isEqualTo("GET /login?pw=***&x=1");
        assertThat(redactor.redact("GET /login?pw=" + form.replace("+", "%20"))).isEqualTo("GET /login?pw=***");
    }

    @Test
    void aValueTooShortToMaskIsRecognised() {
        assertThat(Redactor.isTooShortToMask("abc")).isTrue();
        assertThat(Redactor.isTooShortToMask(" ab ")).isTrue();
        assertThat(Redactor.isTooShortToMask("abcd")).isFalse();
        assertThat(Redactor.isTooShortToMask("")).isFalse(); // nothing to leak
    }

    @Test
    void aSecretsToStringNeverShowsItsValue() {
        Secret s = Secret.ofText(SecretRef.env("MY_EMAIL"), "me@example.org");
        assertThat(s.toString()).isEqualTo("Secret(env:MY_EMAIL)").doesNotContain("example");
    }
}
