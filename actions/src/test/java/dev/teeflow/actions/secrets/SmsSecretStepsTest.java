package dev.teeflow.actions.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.actions.testing.CountingHttpClient;
import dev.teeflow.devnet.sms.SmsServer;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.engine.testing.FakeStepContext;
import dev.teeflow.protocol.sms.SmsClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/** The SMS secret steps against a real devnet SMS on 127.0.0.1. */
class SmsSecretStepsTest {
    static final String KEY = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    static final String OTHER_KEY = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    static final String ADDRESS = Keys.toChecksumAddress(Credentials.create(KEY).getAddress());
    static final String DATASET = "0x00000000000000000000000000000000000d5e70";
    static final String APP = "0x0000000000000000000000000000000000000a99";

    @TempDir
    Path project;
    @TempDir
    Path smsData;

    SmsServer sms;
    final Map<String, String> owners = new ConcurrentHashMap<>();
    final CountingHttpClient http = new CountingHttpClient();

    @BeforeEach
    void startSms() {
        sms = SmsServer.start(smsData, 0, contract -> Optional.ofNullable(owners.get(contract.toLowerCase())));
    }

    @AfterEach
    void stopSms() {
        sms.close();
    }

    private Map<String, Object> chain(URI smsUrl) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", 1337L);
        entry.put("rpc", "http://127.0.0.1:1");
        entry.put("hub", "0x00000000000000000000000000000000000000aa");
        entry.put("sms", smsUrl.toString());
        return Map.of("name", "lab", "entry", entry);
    }

    private static Map<String, Object> wallet(String key) {
        return Map.of("kind", "private-key", "private-key", Secret.ofText(SecretRef.env("PRIVATE_KEY"), key));
    }

    private Map<String, Object> inputs(Object... more) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("chain", chain(sms.url()));
        in.put("wallet", wallet(KEY));
        for (int i = 0; i < more.length; i += 2) {
            in.put((String) more[i], more[i + 1]);
        }
        return in;
    }

    private FakeStepContext context(String address, Map<String, Object> inputs) {
        FakeStepContext ctx = new FakeStepContext(address, project, inputs);
        URI url = URI.create(String.valueOf(((Map<?, ?>) ((Map<?, ?>) inputs.get("chain")).get("entry")).get("sms")));
        ctx.shared(SmsSecretStep.clientKey(url), SmsClient.class, () -> new SmsClient(url, http));
        return ctx;
    }

    /** A later run of the same step: its kept secrets and its last outputs, with new inputs. */
    private FakeStepContext nextRun(FakeStepContext before, Outputs last, Map<String, Object> inputs) {
        FakeStepContext next = context(before.address(), inputs).withPreviousOutputs(last);
        before.storedSecrets().forEach((name, s) -> next.storeSecret(name, s.bytes()));
        return next;
    }

    private static Secret value(String v) {
        return Secret.ofText(SecretRef.env("MY_EMAIL"), v);
    }

    @Test
    void aRequesterSecretIsPushedOnceAndThenFoundUpToDateWithoutAnotherPost() throws Exception {
        StepType step = new RequesterSecretStep();
        Map<String, Object> in = inputs("name", "my_email", "value", value("alice@example.org"));
        FakeStepContext first = context("requester.secret.my_email", in);
        Outputs out = step.run(first);
        assertThat(out.get("status")).isEqualTo("pushed");
        assertThat(out.get("fingerprint").toString()).startsWith("hmac-sha256:");
        assertThat(out.get("signer")).isEqualTo(ADDRESS);
        assertThat(http.count("POST")).isEqualTo(1);
        assertThat(sms.secrets().requesterSecret(ADDRESS, "my_email")).contains("alice@example.org");
        assertThat(step.verify(first, out)).isEqualTo(Check.holds());

        FakeStepContext second = nextRun(first, out, in);
        Outputs again = step.run(second);
        assertThat(again.get("status")).isEqualTo("unchanged");
        assertThat(again.get("fingerprint")).isEqualTo(out.get("fingerprint"));
        assertThat(http.count("POST")).as("no second POST").isEqualTo(1);
        assertThat(second.lines()).anyMatch(l -> l.contains("already in the SMS with the same value"));
    }

    @Test
    void aChangedWriteOnceValueIsAClearErrorWithTheWayOut() throws Exception {
        StepType step = new RequesterSecretStep();
        FakeStepContext first = context("requester.secret.my_email", inputs("name", "my_email", "value", value("alice@example.org")));
        Outputs out = step.run(first);

        FakeStepContext second = nextRun(first, out, inputs("name", "my_email", "value", value("bob@example.org")));
        assertThat(new RequesterSecretStep().preview(second)).contains("will fail").contains("write-once")
                .contains("versioned: true").doesNotContain("bob@example.org");
        assertThat(new RequesterSecretStep().preview(nextRun(first, out, inputs("name", "my_email", "value",
                value("alice@example.org"))))).isNull();
        assertThatThrownBy(() -> step.run(second)).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("requester secret 'my_email' of " + ADDRESS)
                .hasMessageContaining("different value").hasMessageContaining("write-once")
                .hasMessageContaining("new name").hasMessageContaining("my_email_v2").hasMessageContaining("versioned: true")
                .hasMessageNotContaining("bob@example.org").hasMessageNotContaining("alice@example.org");
        assertThat(http.count("POST")).isEqualTo(1);
        assertThat(sms.secrets().requesterSecret(ADDRESS, "my_email")).contains("alice@example.org");
    }

    @Test
    void aVersionedSecretGetsANewNameForANewValueInsteadOfAnError() throws Exception {
        StepType step = new RequesterSecretStep();
        FakeStepContext first = context("requester.secret.my_email",
                inputs("name", "my_email", "value", value("alice@example.org"), "versioned", true));
        Outputs out = step.run(first);
        String firstName = out.get("name").toString();
        assertThat(firstName).matches("my_email-[0-9a-f]{12}").doesNotContain("alice");
        assertThat(sms.secrets().requesterSecret(ADDRESS, firstName)).contains("alice@example.org");

        FakeStepContext same = nextRun(first, out, inputs("name", "my_email", "value", value("alice@example.org"), "versioned", true));
        assertThat(step.run(same).get("name")).isEqualTo(firstName);
        assertThat(http.count("POST")).isEqualTo(1);

        FakeStepContext changed = nextRun(first, out, inputs("name", "my_email", "value", value("nobody@example.org"), "versioned", true));
        Outputs after = step.run(changed);
        assertThat(after.get("status")).isEqualTo("pushed");
        assertThat(after.get("name").toString()).matches("my_email-[0-9a-f]{12}").isNotEqualTo(firstName);
        assertThat(sms.secrets().requesterSecret(ADDRESS, after.get("name").toString())).contains("nobody@example.org");
        assertThat(sms.secrets().requesterSecret(ADDRESS, firstName)).contains("alice@example.org");

        // going back to the first value finds its name there: this pipeline's, not "someone else's"
        FakeStepContext back = nextRun(changed, after, inputs("name", "my_email", "value", value("alice@example.org"), "versioned", true));
        Outputs again = step.run(back);
        assertThat(again.get("name")).isEqualTo(firstName);
        assertThat(again.get("status")).isEqualTo("unchanged");
        assertThat(again.get("fingerprint")).isEqualTo(out.get("fingerprint"));
        assertThat(back.lines()).noneMatch(l -> l.contains("not pushed by this pipeline"));
    }

    @Test
    void aSecretPushedBySomeoneElseIsAWarningNotAFailure() throws Exception {
        new SmsClient(sms.url()).pushRequesterSecret(Credentials.create(KEY).getEcKeyPair(), "my_email", "pushed by hand");
        FakeStepContext ctx = context("requester.secret.my_email", inputs("name", "my_email", "value", value("alice@example.org")));
        Outputs out = new RequesterSecretStep().run(ctx);
        assertThat(out.get("status")).isEqualTo("present-unknown");
        assertThat(out.get("fingerprint")).isEqualTo("unknown");
        assertThat(http.count("POST")).isZero();
        assertThat(ctx.lines()).anyMatch(l -> l.startsWith("warn: ") && l.contains("not pushed by this pipeline"));
    }

    @Test
    void aRunInterruptedAfterThePostKnowsItPushedThatValue() throws Exception {
        StepType step = new RequesterSecretStep();
        Map<String, Object> in = inputs("name", "my_email", "value", value("alice@example.org"));
        FakeStepContext crashed = context("requester.secret.my_email", in);
        step.run(crashed); // pretend the process died before recording these outputs
        Map<String, Object> intent = crashed.recordedIntent().orElseThrow();
        assertThat(intent).containsKeys("fingerprint", "sms", "slot");

        FakeStepContext resumed = context("requester.secret.my_email", in).withIntent(intent);
        crashed.storedSecrets().forEach((name, s) -> resumed.storeSecret(name, s.bytes()));
        assertThat(step.run(resumed).get("status")).isEqualTo("unchanged");
    }

    @Test
    void verifySaysGoneWhenTheSmsLostTheSecret() throws Exception {
        StepType step = new RequesterSecretStep();
        FakeStepContext ctx = context("requester.secret.my_email", inputs("name", "my_email", "value", value("alice@example.org")));
        Outputs out = step.run(ctx);
        Path freshDir = Files.createTempDirectory("fresh-sms");
        try (SmsServer fresh = SmsServer.start(freshDir, 0, c -> Optional.empty())) {
            Map<String, Object> moved = new LinkedHashMap<>(out.values());
            moved.put("sms", fresh.url().toString());
            Check check = step.verify(ctx, Outputs.of(moved));
            assertThat(check.stillHolds()).isFalse();
            assertThat(check.reason()).contains("no longer has the requester secret 'my_email'");
        }
    }

    @Test
    void aDatasetKeyIsPushedByTheDatasetOwnerOnly() throws Exception {
        String key = "ubA6H9emVPJT91/flYAmnKHC0phSV3cfuqsLxQfgow0=";
        owners.put(DATASET, ADDRESS);
        Outputs out = new DatasetKeyStep().run(context("dataset.emails.push-secret",
                inputs("dataset", DATASET, "key", Secret.ofText(SecretRef.step("dataset.emails.encrypt", "key"), key))));
        assertThat(out.get("status")).isEqualTo("pushed");
        assertThat(sms.secrets().datasetKey(DATASET)).contains(key);

        String other = "0x00000000000000000000000000000000000d5e71";
        owners.put(other, "0x0000000000000000000000000000000000000bad");
        FakeStepContext ctx = context("dataset.other.push-secret",
                inputs("dataset", other, "key", Secret.ofText(SecretRef.step("dataset.other.encrypt", "key"), key)));
        assertThatThrownBy(() -> new DatasetKeyStep().run(ctx)).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("dataset.other.push-secret").hasMessageContaining("401")
                .hasMessageContaining("owner() of " + other).hasMessageContaining("signed with " + ADDRESS)
                .hasMessageNotContaining(key);
    }

    @Test
    void anAppDeveloperSecretIsPushedByTheAppOwner() throws Exception {
        owners.put(APP, ADDRESS);
        Outputs out = new AppSecretStep().run(context("app.checker.push-secret",
                inputs("app", APP, "value", Secret.ofText(SecretRef.env("APP_SECRET"), "api-token-123"))));
        assertThat(out.get("status")).isEqualTo("pushed");
        assertThat(out.get("kind")).isEqualTo("app");
        assertThat(sms.secrets().appDeveloperSecret(APP)).contains("api-token-123");
    }

    @Test
    void tooLargeValuesAndUnreachableSmsGiveClearMessages() throws Exception {
        String big = "x".repeat(4097);
        assertThatThrownBy(() -> new RequesterSecretStep().run(context("requester.secret.big",
                inputs("name", "big", "value", value(big)))))
                .hasMessageContaining("4097 bytes; the SMS accepts at most 4096 bytes");

        Map<String, Object> in = inputs("name", "my_email", "value", value("alice@example.org"));
        in.put("chain", chain(URI.create("http://127.0.0.1:1")));
        assertThatThrownBy(() -> new RequesterSecretStep().run(context("requester.secret.my_email", in)))
                .isInstanceOf(TeeflowException.class)
                .hasMessageContaining("unreachable").hasMessageContaining("teeflow devnet up");
    }

    @Test
    void theResultKeyIsMadeOnceKeptPrivateAndPushedAsBase64Pem() throws Exception {
        StepType step = new ResultEncryptionKeyStep();
        Map<String, Object> in = inputs("key-files", true);
        FakeStepContext first = context("result.encryption-key", in);
        Outputs out = step.run(first);
        assertThat(out.get("status")).isEqualTo("pushed");

        Path privateFile = project.resolve(".secrets/beneficiary/" + ADDRESS + "_key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile))).isEqualTo("rw-------");
        assertThat(Files.readString(privateFile)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(first.storedSecrets()).containsKey("private-key");
        assertThat(out.get("private-key")).isEqualTo(SecretRef.step("result.encryption-key", "private-key"));

        Path publicFile = ((Outputs.FileOutput) out.get("public-key")).path();
        String publicPem = Files.readString(publicFile);
        assertThat(publicPem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        String pushed = sms.secrets().web2Secret(ADDRESS, ResultEncryptionKeyStep.SECRET_NAME).orElseThrow();
        assertThat(new String(Base64.getDecoder().decode(pushed), StandardCharsets.UTF_8)).isEqualTo(publicPem);
        assertThat(RsaKeys.fromPrivatePem(Files.readString(privateFile)).getPublic().getEncoded().length)
                .as("4096-bit SPKI").isGreaterThan(500);

        // a run of the step (apply --replace result.encryption-key) puts the same key back, whatever replaced it
        new SmsClient(sms.url()).updateWeb2Secret(Credentials.create(KEY).getEcKeyPair(), ResultEncryptionKeyStep.SECRET_NAME,
                "b3RoZXIga2V5");
        http.reset();
        FakeStepContext second = nextRun(first, out, in);
        Outputs again = step.run(second);
        assertThat(again.get("status")).isEqualTo("updated");
        assertThat(again.get("public-key-fingerprint")).isEqualTo(out.get("public-key-fingerprint"));
        assertThat(http.count("PUT")).isEqualTo(1);
        assertThat(http.count("POST")).isZero();
        assertThat(second.lines()).noneMatch(l -> l.contains("same value; nothing to push"));
        assertThat(sms.secrets().web2Secret(ADDRESS, ResultEncryptionKeyStep.SECRET_NAME)).contains(pushed);
        http.reset();

        // the kept key is lost (a new state directory): a new pair is made and replaces the old one with PUT
        FakeStepContext fresh = context("result.encryption-key", in).withPreviousOutputs(out);
        Outputs replaced = step.run(fresh);
        assertThat(replaced.get("status")).isEqualTo("updated");
        assertThat(replaced.get("public-key-fingerprint")).isNotEqualTo(out.get("public-key-fingerprint"));
        assertThat(http.count("PUT")).isEqualTo(1);
        assertThat(http.count("POST")).isZero();
        assertThat(sms.secrets().web2Secret(ADDRESS, ResultEncryptionKeyStep.SECRET_NAME)).isNotEqualTo(Optional.of(pushed));
    }

    @Test
    void noSecretValueLeaksIntoLogsOutputsOrErrors() throws Exception {
        String secret = "leak-canary-9f3b@example.org";
        StepType step = new RequesterSecretStep();
        FakeStepContext first = context("requester.secret.canary", inputs("name", "canary", "value", value(secret)));
        Outputs out = step.run(first);
        FakeStepContext second = nextRun(first, out, inputs("name", "canary", "value", value(secret)));
        Outputs again = step.run(second);
        FakeStepContext changed = nextRun(first, out, inputs("name", "canary", "value", value(secret + "-v2")));
        String error = "";
        try {
            step.run(changed);
        } catch (TeeflowException e) {
            error = e.getMessage() + " " + (e.getCause() == null ? "" : e.getCause().getMessage());
        }
        assertThat(error).contains("write-once");

        List<String> haystack = new ArrayList<>();
        haystack.addAll(first.lines());
        haystack.addAll(second.lines());
        haystack.addAll(changed.lines());
        haystack.add(out.values().toString());
        haystack.add(again.values().toString());
        haystack.add(error);
        List<String> needles = new ArrayList<>();
        for (String v : List.of(secret, secret + "-v2", KEY)) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            needles.add(v);
            needles.add(Base64.getEncoder().encodeToString(b));
            needles.add(Base64.getEncoder().withoutPadding().encodeToString(b));
            needles.add(HexFormat.of().formatHex(b));
        }
        for (String hay : haystack) {
            for (String needle : needles) {
                assertThat(hay).doesNotContain(needle);
            }
        }
        assertThat(haystack).isNotEmpty();
    }
}
