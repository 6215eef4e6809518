package dev.teeflow.devnet;

import dev.teeflow.devnet.chain.CacheDir;
import dev.teeflow.devnet.chain.DevAccounts;
import dev.teeflow.protocol.devnet.DevnetInfo;
import dev.teeflow.protocol.order.MarketClient;
import dev.teeflow.protocol.order.MarketException;
import dev.teeflow.protocol.order.OrderKind;
import dev.teeflow.protocol.order.OrderSigner;
import dev.teeflow.protocol.order.PocoOrder;
import dev.teeflow.protocol.order.WorkerpoolOrder;
import dev.teeflow.protocol.sign.Eip712Domain;
import dev.teeflow.protocol.sign.Signatures;
import dev.teeflow.protocol.sms.SmsChallenges;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * End to end through a running devnet (real chain for owner() and consumed volume): bad requests to the SMS and the
 * market API get iExec's status codes. The asset is the devnet workerpool, whose owner() on chain is dev account 1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevnetBadRequestsTest {
    private static final ECKeyPair OWNER = DevAccounts.credentials(DevAccounts.SCHEDULER).getEcKeyPair();
    private static final ECKeyPair USER = DevAccounts.credentials(DevAccounts.USER).getEcKeyPair();
    private final HttpClient http = HttpClient.newHttpClient();
    private Devnet devnet;
    private DevnetInfo info;

    @BeforeAll
    void start(@TempDir Path tmp) {
        devnet = Devnet.start(new DevnetConfig("bad-requests", tmp.resolve("devnet"), DevnetPorts.findFree(), 134134,
                CacheDir.resolve()), line -> { });
        info = devnet.info();
    }

    @AfterAll
    void stop() {
        if (devnet != null) {
            devnet.close();
        }
    }

    @Test
    void smsChecksTheOwnerOnChainAndAnswersIexecStatusCodes() throws Exception {
        String asset = info.workerpool();
        String path = "/secrets/web3?secretAddress=" + asset;
        String key = "uIVWpmD8fXkQyVY5mWtO2x9FbmO9lYPEcVGz1b9Wc0g=";
        // wrong owner: the user signs for an asset the workerpool owner owns
        assertThat(postSms(path, sign(SmsChallenges.web3(asset, key), USER), key)).isEqualTo(401);
        // bad signature: garbage in the Authorization header
        assertThat(postSms(path, "0x" + "11".repeat(65), key)).isEqualTo(401);
        // the owner (read with owner() through the devnet RPC) may push, once
        assertThat(postSms(path, sign(SmsChallenges.web3(asset, key), OWNER), key)).isEqualTo(204);
        assertThat(postSms(path, sign(SmsChallenges.web3(asset, key), OWNER), key)).isEqualTo(409);
        // oversized web2 secret: 413; oversized requester secret: 400 (iExec's own answer); bad name: 400
        String me = info.account("user").address();
        String big = "x".repeat(4097);
        assertThat(postSms("/secrets/web2?ownerAddress=" + me + "&secretName=big",
                sign(SmsChallenges.web2(me, "big", big), USER), big)).isEqualTo(413);
        assertThat(postSms("/requesters/" + me + "/secrets/big",
                sign(SmsChallenges.requester(me, "big", big), USER), big)).isEqualTo(400);
        assertThat(postSms("/requesters/" + me + "/secrets/bad.name",
                sign(SmsChallenges.requester(me, "bad.name", "v"), USER), "v")).isEqualTo(400);
        assertThat(postSms("/requesters/" + me + "/secrets/ok", null, "v")).isEqualTo(400);
    }

    @Test
    void marketAnswersIexecStatusCodes() throws Exception {
        MarketClient market = new MarketClient(URI.create(info.market()), info.chainId());
        // unknown order: 404
        assertThat(market.find(OrderKind.WORKERPOOL, "0x" + "ab".repeat(32))).isEmpty();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(info.market() + "/apporders/0x" + "ab".repeat(32)
                + "?chainId=" + info.chainId())).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(404);
        // an order for the workerpool signed by someone who does not own it: 403
        PocoOrder forged = OrderSigner.sign(new WorkerpoolOrder(info.workerpool(), BigInteger.ZERO, BigInteger.ONE,
                null, BigInteger.ZERO, BigInteger.ZERO, null, null, null, null, null),
                Eip712Domain.poco(info.chainId(), info.hub()), USER);
        assertThatThrownBy(() -> market.publish(forged, USER)).isInstanceOfSatisfying(MarketException.class,
                e -> assertThat(e.status()).isEqualTo(403));
        // a wrong chain id: 400
        assertThat(http.send(HttpRequest.newBuilder(URI.create(info.market() + "/workerpoolorders?chainId=1")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
    }

    private static String sign(byte[] challenge, ECKeyPair key) {
        return Signatures.personalSign(challenge, key).toHex();
    }

    private int postSms(String path, String authorization, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(info.sms() + path))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
