package dev.teeflow.state.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Checks stored bytes for a secret in plain, base64 (standard and URL-safe) and hex. */
public final class CanaryForms {
    private final List<String> forms;

    public CanaryForms(byte[]... secrets) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>();
        for (byte[] s : secrets) {
            all.add(new String(s, StandardCharsets.ISO_8859_1));
            all.add(Base64.getEncoder().withoutPadding().encodeToString(s));
            all.add(Base64.getUrlEncoder().withoutPadding().encodeToString(s));
            all.add(HexFormat.of().formatHex(s));
            all.add(HexFormat.of().withUpperCase().formatHex(s));
        }
        this.forms = List.copyOf(all);
    }

    /** Fails naming {@code where} when {@code stored} holds any form of a secret. */
    public void assertAbsent(String where, byte[] stored) {
        String content = new String(stored, StandardCharsets.ISO_8859_1);
        assertThat(forms).as(where).noneMatch(content::contains);
    }
}
