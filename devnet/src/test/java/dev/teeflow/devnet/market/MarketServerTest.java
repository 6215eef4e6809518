package dev.teeflow.devnet.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.teeflow.protocol.order.AppOrder;
import dev.teeflow.protocol.order.DatasetOrder;
import dev.teeflow.protocol.order.MarketClient;
import dev.teeflow.protocol.order.MarketException;
import dev.teeflow.protocol.order.OrderKind;
import dev.teeflow.protocol.order.OrderSigner;
import dev.teeflow.protocol.order.PocoOrder;
import dev.teeflow.protocol.order.PublishedOrder;
import dev.teeflow.protocol.order.RequestOrder;
import dev.teeflow.protocol.order.Tags;
import dev.teeflow.protocol.sign.Eip712Domain;
import dev.teeflow.protocol.sign.GatewayChallenge;
import dev.teeflow.protocol.sign.Signatures;

class MarketServerTest {
    // anvil's public dev keys: test keys, not secrets
    static final ECKeyPair ALICE = ECKeyPair.create(
            new BigInteger("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", 16));
    static final ECKeyPair BOB = ECKeyPair.create(
            new BigInteger("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", 16));
    static final long CHAIN = 65535;
    static final String HUB = "0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f";
    static final String APP = "0x1111111111111111111111111111111111111111";
    static final String DATASET = "0x2222222222222222222222222222222222222222";
    static final String OTHER_APP = "0x4444444444444444444444444444444444444444";
    static final Eip712Domain DOMAIN = Eip712Domain.poco(CHAIN, HUB);

    final Map<String, String> owners = new HashMap<>();
    final Map<String, BigInteger> consumed = new HashMap<>();
    MarketServer market;
    MarketClient client;

    @BeforeEach
    void start() {
        owners.put(APP, Signatures.addressOf(ALICE));
        owners.put(DATASET, Signatures.addressOf(ALICE));
        market = MarketServer.start(0, CHAIN, HUB, new MarketChain() {
            @Override
            public Optional<String> ownerOf(String asset) {
                return Optional.ofNullable(owners.get(asset.toLowerCase()));
            }

            @Override
            public BigInteger consumed(String orderHash) {
                return consumed.getOrDefault(orderHash, BigInteger.ZERO);
            }
        });
        client = new MarketClient(market.url(), CHAIN);
    }

    @AfterEach
    void stop() {
        market.close();
    }

    PocoOrder signedAppOrder(String tag) {
        return OrderSigner.sign(new AppOrder(APP, BigInteger.ZERO, BigInteger.TEN, Tags.parse(tag), null, null, null, null, null),
                DOMAIN, ALICE);
    }

    @Test
    void publishReadAndUnpublishAnAppOrder() {
        PocoOrder order = signedAppOrder("tee,scone");
        String hash = client.publish(order, ALICE);
        assertThat(hash).isEqualTo(OrderSigner.hash(order, DOMAIN));

        PublishedOrder found = client.find(OrderKind.APP, hash).orElseThrow();
        assertThat(found.order()).isEqualTo(order);
        assertThat(found.remaining()).isEqualTo(BigInteger.TEN);
        assertThat(found.status()).isEqualTo("open");
        assertThat(found.signer()).isEqualToIgnoringCase(Signatures.addressOf(ALICE));

        // the CLI's app run query: app, requester, minTag = tee, maxTag = the requested tag
        var book = client.orderbook(OrderKind.APP, Map.of("app", APP, "requester", Signatures.addressOf(BOB),
                "minTag", Tags.parse("tee"), "maxTag", Tags.parse("tee,scone")));
        assertThat(book.orders()).extracting(PublishedOrder::orderHash).containsExactly(hash);
        assertThat(client.orderbook(OrderKind.APP, Map.of("app", APP, "maxTag", Tags.parse("tee"))).orders()).isEmpty();
        assertThat(client.orderbook(OrderKind.APP, Map.of("app", APP, "minTag", Tags.parse("tee,tdx"))).orders()).isEmpty();

        assertThat(client.unpublish(OrderKind.APP, hash, ALICE)).containsExactly(hash);
        assertThat(client.find(OrderKind.APP, hash)).isEmpty();
        assertThat(client.orderbook(OrderKind.APP, Map.of("app", APP)).count()).isZero();
    }

    @Test
    void unknownOrderIs404WithTheMarketsErrorBody() throws Exception {
        HttpResponse<String> res = get("/apporders/0x" + "ab".repeat(32) + "?chainId=" + CHAIN);
        assertThat(res.statusCode()).isEqualTo(404);
        JsonNode body = new ObjectMapper().readTree(res.body());
        assertThat(body.get("ok").asBoolean()).isFalse();
        assertThat(body.get("error").asText()).isEqualTo("apporder not found");
    }

    @Test
    void onlyTheResourceOwnerMayPublishAndOnlyOnce() {
        PocoOrder order = signedAppOrder("tee");
        assertThatThrownBy(() -> client.publish(order, BOB)).isInstanceOf(MarketException.class)
                .hasMessageContaining("403").hasMessageContaining("only order signer");
        client.publish(order, ALICE);
        assertThatThrownBy(() -> client.publish(order, ALICE)).hasMessageContaining("order already published");
    }

    @Test
    void anOrderSignedByAnotherKeyIsRefused() {
        PocoOrder forged = OrderSigner.sign(signedAppOrder("tee").withSign(null), DOMAIN, BOB);
        assertThatThrownBy(() -> client.publish(forged, ALICE)).hasMessageContaining("invalid sign");
    }

    @Test
    void badAuthorizationIs403AndAChallengeIsSingleUse() throws Exception {
        PocoOrder order = signedAppOrder("tee");
        String body = "{\"order\":" + dev.teeflow.protocol.order.OrderJson.toJson(order) + "}";
        assertThat(post("/apporders?chainId=" + CHAIN, "0x00_0x00_" + APP, body).statusCode()).isEqualTo(403);
        String auth = client.authorize(ALICE);
        assertThat(post("/apporders?chainId=" + CHAIN, auth, body).statusCode()).isEqualTo(200);
        HttpResponse<String> replay = post("/apporders?chainId=" + CHAIN, auth,
                "{\"order\":" + dev.teeflow.protocol.order.OrderJson.toJson(signedAppOrder("tee")) + "}");
        assertThat(replay.statusCode()).isEqualTo(403);
        assertThat(replay.body()).contains("invalid authorization");
        // a signature over the right hash by another wallet
        String auth2 = client.authorize(ALICE);
        String[] parts = auth2.split("_");
        String bobSig = Signatures.signDigest(dev.teeflow.protocol.sign.Hex.decode(parts[0]), BOB).toHex();
        assertThat(post("/apporders?chainId=" + CHAIN, parts[0] + "_" + bobSig + "_" + parts[2], body).statusCode())
                .isEqualTo(403);
    }

    @Test
    void challengeIsEip712TypedDataForTheGateway() throws Exception {
        JsonNode res = new ObjectMapper().readTree(get("/challenge?chainId=" + CHAIN + "&address=" + APP).body());
        assertThat(res.at("/data/domain/name").asText()).isEqualTo("iExec Gateway");
        assertThat(res.at("/data/primaryType").asText()).isEqualTo("Challenge");
        assertThat(res.at("/data/message/challenge").asText()).startsWith(GatewayChallenge.TEXT_PREFIX);
        assertThat(get("/challenge?chainId=1&address=" + APP).statusCode()).isEqualTo(400);
    }

    @Test
    void consumedOrdersLeaveTheOrderbook() {
        String hash = client.publish(signedAppOrder("tee"), ALICE);
        consumed.put(hash, BigInteger.valueOf(4));
        assertThat(client.find(OrderKind.APP, hash).orElseThrow().remaining()).isEqualTo(BigInteger.valueOf(6));
        consumed.put(hash, BigInteger.TEN);
        assertThat(client.find(OrderKind.APP, hash).orElseThrow().status()).isEqualTo("filled");
        assertThat(client.orderbook(OrderKind.APP, Map.of("app", APP)).orders()).isEmpty();
    }

    @Test
    void restrictionFiltersFollowTheMarketsRules() {
        PocoOrder restricted = OrderSigner.sign(new DatasetOrder(DATASET, BigInteger.ZERO, BigInteger.ONE,
                Tags.parse("tee"), APP, null, null, null, null), DOMAIN, ALICE);
        client.publish(restricted, ALICE);
        assertThat(client.orderbook(OrderKind.DATASET, Map.of("dataset", DATASET)).orders()).isEmpty();
        assertThat(client.orderbook(OrderKind.DATASET, Map.of("dataset", DATASET, "app", APP)).orders()).hasSize(1);
        assertThat(client.orderbook(OrderKind.DATASET, Map.of("dataset", DATASET, "app", OTHER_APP)).orders()).isEmpty();
        assertThat(client.orderbook(OrderKind.DATASET, Map.of("dataset", DATASET, "app", "any")).orders()).hasSize(1);
        assertThatThrownBy(() -> client.orderbook(OrderKind.DATASET, Map.of("app", APP)))
                .hasMessageContaining("400").hasMessageContaining("dataset or datasetOwner is required");
    }

    @Test
    void requestOrderNeedsAMatchableAppOrder() {
        String bob = Signatures.addressOf(BOB);
        PocoOrder request = OrderSigner.sign(new RequestOrder(APP, BigInteger.ZERO, null, null, null, null, bob,
                BigInteger.ONE, Tags.parse("tee"), null, null, bob, null, "{}", null, null), DOMAIN, BOB);
        assertThatThrownBy(() -> client.publish(request, BOB)).hasMessageContaining("No tee enabled apporder");
        client.publish(signedAppOrder("tee"), ALICE);
        String hash = client.publish(request, BOB);
        assertThat(client.orderbook(OrderKind.REQUEST, Map.of("requester", bob)).orders())
                .extracting(PublishedOrder::orderHash).containsExactly(hash);
    }

    @Test
    void versionCategoriesAndDealsAnswerOk() throws Exception {
        assertThat(get("/version").body()).contains("\"ok\":true");
        assertThat(get("/deals?chainId=" + CHAIN + "&requester=" + APP).body()).contains("\"deals\":[]");
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(market.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String auth, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(market.url() + path))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
