package dev.teeflow.protocol.order;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.web3j.crypto.ECKeyPair;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.teeflow.protocol.sign.GatewayChallenge;
import dev.teeflow.protocol.sign.Signatures;

/**
 * Client of the iExec market API (the "iexecGateway" of chain.json), speaking what the iexec CLI speaks:
 * challenge login, publish ({@code POST /<kind>orders?chainId=}), read one order
 * ({@code GET /<kind>orders/<hash>}), read an orderbook, unpublish ({@code PUT /<kind>orders}).
 */
public final class MarketClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final long chainId;
    private final HttpClient http;

    public MarketClient(URI base, long chainId) {
        this(base, chainId, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    public MarketClient(URI base, long chainId, HttpClient http) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.chainId = chainId;
        this.http = http;
    }

    /** Fetches a login challenge for the key's address and returns the signed authorization header. */
    public String authorize(ECKeyPair key) {
        String address = Signatures.addressOf(key);
        JsonNode res = call("GET", "/challenge", Map.of("chainId", chainId, "address", address), null, null);
        JsonNode typed = res.has("data") ? res.get("data") : res;
        JsonNode domain = typed.path("domain");
        String text = typed.path("message").path("challenge").asText(null);
        if (text == null || !"iExec Gateway".equals(domain.path("name").asText())) {
            throw new MarketException(200, "market API at " + base + " returned an unexpected challenge format");
        }
        if (domain.path("chainId").asLong(-1) != chainId) {
            throw new MarketException(200, "market API at " + base + " issued a challenge for chain "
                    + domain.path("chainId").asText() + ", expected " + chainId);
        }
        return GatewayChallenge.authorization(chainId, text, key);
    }

    /** Publishes a signed order and returns its order hash. */
    public String publish(PocoOrder signedOrder, ECKeyPair key) {
        if (signedOrder.sign() == null) {
            throw new IllegalArgumentException(signedOrder.kind().apiName() + " must be signed before publishing");
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("order", OrderJson.toJson(signedOrder));
        JsonNode res = call("POST", signedOrder.kind().path(), Map.of("chainId", chainId), body, authorize(key));
        String hash = res.path("published").path("orderHash").asText(null);
        if (hash == null) {
            throw new MarketException(200, "market API did not return the published order hash");
        }
        return hash;
    }

    /** Unpublishes one order by hash; returns the unpublished hashes. */
    public List<String> unpublish(OrderKind kind, String orderHash, ECKeyPair key) {
        ObjectNode body = JSON.createObjectNode();
        body.put("target", "unpublish_orderHash");
        body.put("orderHash", orderHash);
        JsonNode res = call("PUT", kind.path(), Map.of("chainId", chainId), body, authorize(key));
        List<String> out = new ArrayList<>();
        res.path("unpublished").forEach(n -> out.add(n.asText()));
        return out;
    }

    /** One published order, or empty when the market API does not know it (404). */
    public Optional<PublishedOrder> find(OrderKind kind, String orderHash) {
        try {
            JsonNode res = call("GET", kind.path() + "/" + orderHash, Map.of("chainId", chainId), null, null);
            return Optional.of(parsePublished(kind, res));
        } catch (MarketException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Reads an orderbook. filters are the market API's query parameters, e.g. {@code app}, {@code dataset},
     * {@code workerpool}, {@code requester} (address or "any"), {@code minTag}, {@code maxTag},
     * {@code category}, {@code isDatasetStrict}, {@code pageIndex}, {@code pageSize}.
     */
    public Orderbook orderbook(OrderKind kind, Map<String, ?> filters) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("chainId", chainId);
        query.putAll(filters);
        JsonNode res = call("GET", kind.path(), query, null, null);
        List<PublishedOrder> orders = new ArrayList<>();
        res.path("orders").forEach(n -> orders.add(parsePublished(kind, n)));
        JsonNode next = res.get("nextPage");
        return new Orderbook(orders, res.path("count").asLong(orders.size()),
                next == null || next.isNull() ? null : next.asInt());
    }

    private PublishedOrder parsePublished(OrderKind kind, JsonNode n) {
        return new PublishedOrder(n.path("orderHash").asText(), n.path("chainId").asLong(),
                OrderJson.fromJson(kind, n.get("order")), uint(n.path("remaining")),
                n.path("status").asText(), n.path("signer").asText(), n.path("publicationTimestamp").asText());
    }

    private static BigInteger uint(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.decimalValue().toBigInteger();
        }
        return new BigInteger(n.asText("0"));
    }

    private JsonNode call(String method, String path, Map<String, ?> query, JsonNode body, String authorization) {
        String qs = query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        URI uri = URI.create(base + path + (qs.isEmpty() ? "" : "?" + qs));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> res;
        try {
            res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MarketException("market API at " + base + " is unreachable (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MarketException("interrupted while calling the market API at " + base, e);
        }
        JsonNode json;
        try {
            json = JSON.readTree(res.body());
        } catch (IOException e) {
            json = null;
        }
        if (res.statusCode() / 100 != 2 || json == null || !json.path("ok").asBoolean(false)) {
            String error = json == null ? "" : json.path("error").asText("");
            throw new MarketException(res.statusCode(), "market API " + method + " " + path + " failed with status "
                    + res.statusCode() + (error.isEmpty() ? "" : ": " + error));
        }
        return json;
    }
}
