package dev.teeflow.actions.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.actions.net.Retries;
import dev.teeflow.devnet.sms.SmsServer;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.testing.FakeStepContext;
import dev.teeflow.protocol.net.FaultProxy;
import dev.teeflow.protocol.net.RetryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/** The SMS misbehaving (5xx, lost answers, going away) between a secret step and a real devnet SMS. */
class SmsFaultsTest {
    static final String KEY = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"; // a test key
    static final String ADDRESS = Keys.toChecksumAddress(Credentials.create(KEY).getAddress());
    static final RetryPolicy FAST = RetryPolicy.standard().withDelays(Duration.ofMillis(20), Duration.ofMillis(80));

    @TempDir
    Path project;
    @TempDir
    Path smsData;
    SmsServer sms;
    FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        sms = SmsServer.start(smsData, 0, contract -> Optional.empty());
        proxy = FaultProxy.start(sms.url());
    }

    @AfterEach
    void stop() {
        proxy.close();
        sms.close();
    }

    private FakeStepContext context() {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", 1337L);
        entry.put("rpc", "http://127.0.0.1:1");
        entry.put("hub", "0x00000000000000000000000000000000000000aa");
        entry.put("sms", proxy.url().toString());
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("chain", Map.of("name", "lab", "entry", entry));
        in.put("wallet", Map.of("kind", "private-key", "private-key", Secret.ofText(SecretRef.env("PRIVATE_KEY"), KEY)));
        in.put("name", "my_email");
        in.put("value", Secret.ofText(SecretRef.env("MY_EMAIL"), "alice@example.org"));
        FakeStepContext ctx = new FakeStepContext("requester.secret.my_email", project, in);
        ctx.shared(Retries.SHARED_KEY, RetryPolicy.class, () -> FAST);
        return ctx;
    }

    private long storedSecrets() throws IOException {
        try (Stream<Path> files = Files.walk(smsData)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void twoServerErrorsThenRecoveryPushesExactlyOneSecret() throws Exception {
        long before = storedSecrets();
        proxy.next(2, new FaultProxy.Answer(503));
        FakeStepContext ctx = context();
        Outputs out = new RequesterSecretStep().run(ctx);

        assertThat(out.get("status")).isEqualTo("pushed");
        assertThat(sms.secrets().requesterSecret(ADDRESS, "my_email")).contains("alice@example.org");
        assertThat(storedSecrets() - before).as("exactly one secret in the SMS").isEqualTo(1);
        assertThat(ctx.lines()).filteredOn(l -> l.contains("SMS answered 503, retrying in"))
                .hasSize(2).anyMatch(l -> l.endsWith("(2/5)")).anyMatch(l -> l.endsWith("(3/5)"));
        assertThat(ctx.lines()).noneMatch(l -> l.contains("alice@example.org"));
    }

    @Test
    void aPushWhoseAnswerWasLostIsNotSentAgainWhenTheSmsHoldsIt() throws Exception {
        long before = storedSecrets();
        // The step checks first (HEAD, absent), then POSTs: the SMS applies that POST, but the answer is a 502.
        proxy.next(1, new FaultProxy.Pass()).next(1, new FaultProxy.ForwardThenAnswer(502));
        FakeStepContext ctx = context();
        Outputs out = new RequesterSecretStep().run(ctx);

        assertThat(out.get("status")).isEqualTo("pushed");
        assertThat(storedSecrets() - before).isEqualTo(1);
        assertThat(proxy.count("POST")).as("the POST that landed is not repeated").isEqualTo(1);
        assertThat(ctx.lines()).anyMatch(l -> l.contains("the push had landed"));
    }

    @Test
    void aPushThatDidNotLandIsSentAgainAfterAHeadSaysSo() throws Exception {
        long before = storedSecrets();
        // HEAD passes; the POST gets a 503 without reaching the SMS; the retry asks (HEAD: absent) and pushes again.
        proxy.next(1, new FaultProxy.Pass()).next(1, new FaultProxy.Answer(503));
        FakeStepContext ctx = context();
        Outputs out = new RequesterSecretStep().run(ctx);

        assertThat(out.get("status")).isEqualTo("pushed");
        assertThat(storedSecrets() - before).isEqualTo(1);
        assertThat(proxy.requests()).extracting(r -> r.substring(0, r.indexOf(' ')))
                .containsExactly("HEAD", "POST", "HEAD", "POST");
    }

    @Test
    void anSmsThatStaysDownIsAClearErrorCountingTheAttempts() {
        proxy.down();
        FakeStepContext ctx = context();
        assertThatThrownBy(() -> new RequesterSecretStep().run(ctx)).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("requester.secret.my_email")
                .hasMessageContaining("5 attempts")
                .hasMessageNotContaining("alice@example.org");
        assertThat(ctx.lines()).filteredOn(l -> l.contains("retrying in")).hasSize(4);
    }

    @Test
    void aRefusalIsNotRetried() throws Exception {
        // HEAD: 503 then through (retried); the POST then gets a 401: final at once
        proxy.next(1, new FaultProxy.Answer(503)).next(1, new FaultProxy.Pass()).next(1, new FaultProxy.Answer(401));
        FakeStepContext ctx = context();
        assertThatThrownBy(() -> new RequesterSecretStep().run(ctx)).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("401");
        assertThat(proxy.count("POST")).isEqualTo(1);
    }
}
