package dev.teeflow.devnet.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;

import dev.teeflow.protocol.sign.Signatures;
import dev.teeflow.protocol.sms.SmsClient;
import dev.teeflow.protocol.sms.SmsException;

class SmsServerTest {
    // anvil's public dev keys 0 and 1: test keys, not secrets
    static final ECKeyPair ALICE = ECKeyPair.create(
            new BigInteger("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", 16));
    static final ECKeyPair BOB = ECKeyPair.create(
            new BigInteger("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", 16));
    static final String DATASET = "0x00000000000000000000000000000000000000D5";
    static final String APP = "0x00000000000000000000000000000000000000A9";
    static final String KEY = "ubA6H9emVPJT91/flYAmnKHC0phSV3cfuqsLxQfgow0=";

    @TempDir
    Path dir;
    final Map<String, String> owners = new HashMap<>();
    SmsServer sms;
    SmsClient client;

    @BeforeEach
    void start() {
        owners.put(DATASET.toLowerCase(), Signatures.addressOf(ALICE));
        owners.put(APP.toLowerCase(), Signatures.addressOf(ALICE));
        sms = SmsServer.start(dir, 0, this::ownerOf);
        client = new SmsClient(sms.url());
    }

    Optional<String> ownerOf(String contract) {
        return Optional.ofNullable(owners.get(contract.toLowerCase()));
    }

    @AfterEach
    void stop() {
        sms.close();
    }

    @Test
    void datasetKeyIsWriteOnceAndOnlyForTheOwner() {
        assertThat(client.datasetKeyExists(DATASET)).isFalse();
        assertThatThrownBy(() -> client.pushDatasetKey(BOB, DATASET, KEY))
                .isInstanceOf(SmsException.NotAuthorized.class).hasMessageContaining("401")
                .hasMessageNotContaining(KEY);
        client.pushDatasetKey(ALICE, DATASET, KEY);
        assertThat(client.datasetKeyExists(DATASET.toLowerCase())).isTrue();
        assertThatThrownBy(() -> client.pushDatasetKey(ALICE, DATASET, KEY))
                .isInstanceOf(SmsException.AlreadyExists.class).hasMessageContaining("write-once");
        assertThat(sms.secrets().datasetKey(DATASET)).contains(KEY);
    }

    @Test
    void aContractWithoutOwnerGets401() {
        assertThatThrownBy(() -> client.pushDatasetKey(ALICE, "0x00000000000000000000000000000000000000ee", KEY))
                .isInstanceOf(SmsException.NotAuthorized.class);
    }

    @Test
    void badSignatureGets401AndMissingHeaderGets400() throws Exception {
        assertThat(post("/secrets/web3?secretAddress=" + DATASET, "0xdeadbeef", KEY)).isEqualTo(401);
        // a valid signature, but over another value
        String otherSig = Signatures.personalSign(
                dev.teeflow.protocol.sms.SmsChallenges.web3(DATASET, "other"), ALICE).toHex();
        assertThat(post("/secrets/web3?secretAddress=" + DATASET, otherSig, KEY)).isEqualTo(401);
        assertThat(post("/secrets/web3?secretAddress=" + DATASET, null, KEY)).isEqualTo(400);
        assertThat(client.datasetKeyExists(DATASET)).isFalse();
    }

    @Test
    void oversizedSecretGets413() {
        String big = "x".repeat(SmsServer.MAX_SECRET_BYTES + 1);
        assertThatThrownBy(() -> client.pushWeb2Secret(ALICE, "big", big))
                .isInstanceOf(SmsException.TooLarge.class).hasMessageContaining("413");
        client.pushWeb2Secret(ALICE, "max", "x".repeat(SmsServer.MAX_SECRET_BYTES));
        assertThatThrownBy(() -> client.pushAppSecret(ALICE, APP, big)).isInstanceOf(SmsException.TooLarge.class);
    }

    @Test
    void web2SecretCanBeUpdatedButPutOnMissingGets404() {
        String me = Signatures.addressOf(ALICE);
        assertThatThrownBy(() -> client.updateWeb2Secret(ALICE, "iexec-result-encryption-public-key", "a"))
                .isInstanceOf(SmsException.NotFound.class).hasMessageContaining("404");
        client.pushWeb2Secret(ALICE, "iexec-result-encryption-public-key", "a");
        assertThatThrownBy(() -> client.pushWeb2Secret(ALICE, "iexec-result-encryption-public-key", "b"))
                .isInstanceOf(SmsException.AlreadyExists.class).hasMessageContaining("PUT");
        client.updateWeb2Secret(ALICE, "iexec-result-encryption-public-key", "b");
        // addresses and web2 names are case-insensitive, as in iExec's SMS
        assertThat(client.web2SecretExists(me.toUpperCase().replace("0X", "0x"), "IEXEC-RESULT-ENCRYPTION-PUBLIC-KEY"))
                .isTrue();
        assertThat(sms.secrets().web2Secret(me, "iexec-result-encryption-public-key")).contains("b");
    }

    @Test
    void requesterSecretNameRuleWriteOnceAndSizeRule() throws Exception {
        String me = Signatures.addressOf(ALICE);
        assertThatThrownBy(() -> client.pushRequesterSecret(ALICE, "bad.name", "v"))
                .isInstanceOf(SmsException.BadRequest.class).hasMessageContaining("400");
        assertThatThrownBy(() -> client.pushRequesterSecret(ALICE, "n".repeat(65), "v"))
                .isInstanceOf(SmsException.BadRequest.class);
        client.pushRequesterSecret(ALICE, "my_email", "me@example.org");
        assertThat(client.requesterSecretExists(me, "my_email")).isTrue();
        assertThat(client.requesterSecretExists(me, "MY_EMAIL")).isFalse();
        assertThatThrownBy(() -> client.pushRequesterSecret(ALICE, "my_email", "other"))
                .isInstanceOf(SmsException.AlreadyExists.class);
        // iExec answers 400 for an oversized requester secret
        assertThatThrownBy(() -> client.pushRequesterSecret(ALICE, "big", "x".repeat(5000)))
                .isInstanceOf(SmsException.BadRequest.class);
        assertThat(head("/requesters/" + me + "/secrets/bad.name")).isEqualTo(400);
        assertThat(sms.secrets().requesterSecret(me, "my_email")).contains("me@example.org");
    }

    @Test
    void requesterSecretSignedByAnotherWalletGets401() throws Exception {
        String me = Signatures.addressOf(ALICE);
        String sig = Signatures.personalSign(
                dev.teeflow.protocol.sms.SmsChallenges.requester(me, "k", "v"), BOB).toHex();
        assertThat(post("/requesters/" + me + "/secrets/k", sig, "v")).isEqualTo(401);
    }

    @Test
    void appDeveloperSecretForTheAppOwnerOnly() {
        assertThatThrownBy(() -> client.pushAppSecret(BOB, APP, "s")).isInstanceOf(SmsException.NotAuthorized.class);
        assertThat(client.appSecretExists(APP)).isFalse();
        client.pushAppSecret(ALICE, APP, "s");
        assertThat(client.appSecretExists(APP.toLowerCase())).isTrue();
        assertThatThrownBy(() -> client.pushAppSecret(ALICE, APP, "s")).isInstanceOf(SmsException.AlreadyExists.class);
        assertThat(sms.secrets().appDeveloperSecret(APP)).contains("s");
    }

    @Test
    void restartKeepsSecretsAndDiskHoldsNoPlaintext() throws IOException {
        String plaintext = "a-very-recognisable-secret-value-42";
        client.pushRequesterSecret(ALICE, "k1", plaintext);
        client.pushDatasetKey(ALICE, DATASET, KEY);
        sms.close();
        sms = SmsServer.start(dir, 0, this::ownerOf);
        client = new SmsClient(sms.url());
        assertThat(client.requesterSecretExists(Signatures.addressOf(ALICE), "k1")).isTrue();
        assertThat(sms.secrets().requesterSecret(Signatures.addressOf(ALICE), "k1")).contains(plaintext);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(content).doesNotContain(plaintext).doesNotContain(KEY);
                assertThat(Files.getPosixFilePermissions(f)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            }
        }
        // another process (the worker) can open the same vault
        assertThat(SecretVault.open(dir).datasetKey(DATASET)).contains(KEY);
    }

    @Test
    void busyPortIsAClearError() {
        assertThatThrownBy(() -> SmsServer.start(dir.resolve("other"), sms.port(), this::ownerOf))
                .isInstanceOf(PortInUseException.class).hasMessageContaining(String.valueOf(sms.port()))
                .hasMessageContaining("already in use");
    }

    @Test
    void stopLeavesNoServerThreads() {
        sms.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("devnet-SMS") && t.isAlive());
        sms = SmsServer.start(dir, 0, this::ownerOf);
    }

    private int post(String path, String auth, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sms.url() + path))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private int head(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sms.url() + path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
