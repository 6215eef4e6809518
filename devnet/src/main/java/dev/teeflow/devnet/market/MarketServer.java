package dev.teeflow.devnet.market;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.web3j.crypto.Keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.teeflow.devnet.sms.LoopbackHttp;
import dev.teeflow.protocol.order.OrderJson;
import dev.teeflow.protocol.order.OrderKind;
import dev.teeflow.protocol.order.OrderSigner;
import dev.teeflow.protocol.order.PocoOrder;
import dev.teeflow.protocol.order.Tags;
import dev.teeflow.protocol.sign.Eip712Domain;
import dev.teeflow.protocol.sign.GatewayChallenge;
import dev.teeflow.protocol.sign.Hex;
import dev.teeflow.protocol.sign.Signature;
import dev.teeflow.protocol.sign.Signatures;

/**
 * The devnet's market API (orderbook), on 127.0.0.1, speaking the iexec-market-api's protocol as the iexec
 * CLI uses it: {@code GET /challenge}, {@code POST|PUT|GET /{app,dataset,workerpool,request}orders},
 * {@code GET /<kind>orders/<orderHash>}, {@code /version}, {@code /categories}, {@code /deals}. Replies are
 * {@code {"ok":true,...}} or {@code {"ok":false,"error":...}} with its status codes (400 validation,
 * 403 authorization and business rules, 404 unknown order). Orders are kept in memory for one devnet run.
 * Not checked here (the chain does it at match time): stakes and the per-wallet open order limit.
 */
public final class MarketServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ORDERS = Pattern.compile("^/(apporders|datasetorders|workerpoolorders|requestorders)(?:/([^/]+))?$");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int DEFAULT_PAGE_SIZE = 20;

    private final HttpServer server;
    private final long chainId;
    private final Eip712Domain domain;
    private final MarketChain chain;
    private final Map<OrderKind, Map<String, StoredOrder>> orders = new ConcurrentHashMap<>();
    /** Outstanding login challenges by lowercase address. */
    private final Map<String, String> challenges = new ConcurrentHashMap<>();

    private MarketServer(HttpServer server, long chainId, String hub, MarketChain chain) {
        this.server = server;
        this.chainId = chainId;
        this.domain = Eip712Domain.poco(chainId, hub);
        this.chain = chain;
        for (OrderKind k : OrderKind.values()) {
            orders.put(k, new ConcurrentHashMap<>());
        }
    }

    /**
     * Starts the market API on 127.0.0.1:port (0 = any) for one chain; hub is the PoCo proxy address that
     * verifies order signatures (the EIP-712 verifyingContract).
     */
    public static MarketServer start(int port, long chainId, String hub, MarketChain chain) {
        HttpServer http = LoopbackHttp.bind("market API", port);
        MarketServer market = new MarketServer(http, chainId, Hex.encode(Hex.address(hub)), chain);
        http.createContext("/", market::handle);
        http.start();
        return market;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Open orders of one kind with remaining volume, as the orderbook would list them (for the devnet). */
    public List<StoredOrder> openOrders(OrderKind kind) {
        return orders.get(kind).values().stream().filter(o -> remaining(o).signum() > 0).toList();
    }

    @Override
    public void close() {
        LoopbackHttp.stop(server);
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            ObjectNode body = route(ex);
            body.put("ok", true);
            LoopbackHttp.sendJson(ex, 200, reorderOk(body).toString());
        } catch (MarketError e) {
            ObjectNode err = JSON.createObjectNode().put("ok", false).put("error", e.getMessage());
            LoopbackHttp.sendJson(ex, e.status, err.toString());
        } catch (RuntimeException e) {
            LoopbackHttp.sendJson(ex, 500, "{\"ok\":false,\"error\":\"Internal error\"}");
        } finally {
            ex.close();
        }
    }

    private ObjectNode route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        Map<String, String> q = LoopbackHttp.query(ex);
        if (path.equals("/version") && method.equals("GET")) {
            return JSON.createObjectNode().put("version", "teeflow-devnet");
        }
        if (path.equals("/challenge") && method.equals("GET")) {
            requireChain(q);
            return challenge(q.get("address"));
        }
        if (path.equals("/categories") && method.equals("GET")) {
            requireChain(q);
            ObjectNode res = JSON.createObjectNode();
            res.putArray("categories");
            res.put("count", 0);
            return res;
        }
        if (path.startsWith("/categories/") && method.equals("GET")) {
            requireChain(q);
            throw MarketError.notFound("category not found");
        }
        if (path.equals("/deals") && method.equals("GET")) {
            requireChain(q);
            ObjectNode res = JSON.createObjectNode();
            res.putArray("deals");
            res.put("count", 0);
            return res;
        }
        Matcher m = ORDERS.matcher(path);
        if (m.matches()) {
            OrderKind kind = OrderKind.fromPath("/" + m.group(1));
            requireChain(q);
            if (m.group(2) != null) {
                if (!method.equals("GET")) {
                    throw MarketError.notFound("Not Found");
                }
                return one(kind, m.group(2));
            }
            return switch (method) {
                case "GET" -> orderbook(kind, q);
                case "POST" -> publish(kind, authorize(ex), readJson(ex));
                case "PUT" -> unpublish(kind, authorize(ex), readJson(ex));
                default -> throw MarketError.notFound("Not Found");
            };
        }
        throw MarketError.notFound("Not Found");
    }

    private void requireChain(Map<String, String> q) {
        String c = q.get("chainId");
        if (c == null) {
            throw MarketError.validation("chainId is a required field");
        }
        if (!c.equals(Long.toString(chainId))) {
            throw MarketError.validation("chainId " + c + " is not supported");
        }
    }

    private ObjectNode challenge(String address) {
        if (address == null) {
            throw MarketError.validation("address is a required field");
        }
        if (!Hex.isAddress(address)) {
            throw MarketError.validation("address is not a valid ethereum address");
        }
        String value = challenges.computeIfAbsent(address.toLowerCase(Locale.ROOT), a -> randomText());
        ObjectNode typed = JSON.createObjectNode();
        ObjectNode types = typed.putObject("types");
        ArrayNode d = types.putArray("EIP712Domain");
        d.addObject().put("name", "name").put("type", "string");
        d.addObject().put("name", "version").put("type", "string");
        d.addObject().put("name", "chainId").put("type", "uint256");
        types.putArray("Challenge").addObject().put("name", "challenge").put("type", "string");
        typed.putObject("domain").put("name", "iExec Gateway").put("version", "1").put("chainId", Long.toString(chainId));
        typed.put("primaryType", "Challenge");
        typed.putObject("message").put("challenge", GatewayChallenge.TEXT_PREFIX + value);
        ObjectNode res = JSON.createObjectNode();
        res.set("data", typed);
        return res;
    }

    /** Checks {@code <hash>_<signature>_<address>} against the outstanding challenge; one use. */
    private String authorize(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            throw MarketError.auth();
        }
        String[] parts = header.trim().split("_");
        if (parts.length != 3 || !Hex.isAddress(parts[2])) {
            throw MarketError.auth();
        }
        String address = parts[2].toLowerCase(Locale.ROOT);
        String value = challenges.get(address);
        if (value == null) {
            throw MarketError.auth();
        }
        byte[] hash = GatewayChallenge.hash(chainId, GatewayChallenge.TEXT_PREFIX + value);
        if (!Hex.encode(hash).equalsIgnoreCase(parts[0])) {
            throw MarketError.auth();
        }
        Optional<String> signer;
        try {
            signer = Signatures.recoverDigest(hash, Signature.parse(parts[1]));
        } catch (IllegalArgumentException e) {
            throw MarketError.auth();
        }
        if (signer.isEmpty() || !signer.get().equals(address)) {
            throw MarketError.auth();
        }
        challenges.remove(address, value);
        return address;
    }

    private ObjectNode publish(OrderKind kind, String authorized, JsonNode body) {
        JsonNode json = body.get("order");
        if (json == null || !json.isObject()) {
            throw MarketError.validation("order is a required field");
        }
        PocoOrder order;
        try {
            order = OrderJson.fromJson(kind, json);
        } catch (IllegalArgumentException e) {
            throw MarketError.validation(e.getMessage());
        }
        if (order.salt() == null) {
            throw MarketError.validation("salt is a required field");
        }
        if (order.sign() == null) {
            throw MarketError.validation("sign is a required field");
        }
        if (order.volume().signum() == 0) {
            throw MarketError.validation("volume must be greater than or equal to 1");
        }
        String hash = OrderSigner.hash(order, domain);
        Map<String, StoredOrder> book = orders.get(kind);
        StoredOrder existing = book.get(hash);
        if (existing != null && remaining(existing).signum() > 0) {
            throw MarketError.business("order already published");
        }
        String signer = kind == OrderKind.REQUEST ? order.address()
                : chain.ownerOf(order.address()).orElseThrow(() -> MarketError.business("Resource not deployed"));
        if (!signer.equals(authorized)) {
            throw MarketError.business("only order signer " + Keys.toChecksumAddress(signer) + " can publish an order");
        }
        if (!OrderSigner.recoverSigner(order, domain).map(signer::equals).orElse(false)) {
            throw MarketError.business("invalid sign");
        }
        StoredOrder stored = new StoredOrder(hash, order, signer, ZonedDateTime.now(ZoneOffset.UTC).format(TIMESTAMP));
        if (remaining(stored).signum() <= 0) {
            throw MarketError.business("order already consumed");
        }
        if (kind == OrderKind.REQUEST) {
            requireMatchableApporder(order);
        }
        book.put(hash, stored);
        ObjectNode res = JSON.createObjectNode();
        res.set("published", toJson(stored));
        return res;
    }

    /** A request order is only accepted when an open apporder it can match is published (as iExec's market does). */
    private void requireMatchableApporder(PocoOrder request) {
        Map<String, Object> r = request.values();
        boolean tee = Tags.contains(request.tag(), Tags.parse("tee"));
        List<StoredOrder> candidates = openOrders(OrderKind.APP).stream().filter(o -> {
            Map<String, Object> a = o.order().values();
            return a.get("app").equals(r.get("app"))
                    && anyOr(a.get("workerpoolrestrict"), r.get("workerpool"))
                    && anyOr(a.get("datasetrestrict"), r.get("dataset"))
                    && anyOr(a.get("requesterrestrict"), r.get("requester"))
                    && (!tee || Tags.contains(o.order().tag(), Tags.parse("tee")));
        }).sorted(Comparator.comparing(o -> (BigInteger) o.order().values().get("appprice"))).toList();
        String app = Keys.toChecksumAddress((String) r.get("app"));
        if (candidates.isEmpty()) {
            throw MarketError.business("No " + (tee ? "tee enabled " : "") + "apporder published for app " + app);
        }
        BigInteger best = (BigInteger) candidates.get(0).order().values().get("appprice");
        if (((BigInteger) r.get("appmaxprice")).compareTo(best) < 0) {
            throw MarketError.business("appmaxprice for app " + app + " is too low, actual best price is " + best + " nRLC");
        }
    }

    private static boolean anyOr(Object restrict, Object value) {
        return PocoOrder.NULL_ADDRESS.equals(restrict) || restrict.equals(value);
    }

    private ObjectNode unpublish(OrderKind kind, String authorized, JsonNode body) {
        String target = body.path("target").asText("unpublish_orderHash");
        Map<String, StoredOrder> book = orders.get(kind);
        List<StoredOrder> removed = new ArrayList<>();
        switch (target) {
            case "unpublish_orderHash" -> {
                String hash = body.path("orderHash").asText(null);
                if (hash == null) {
                    throw MarketError.validation("orderHash is a required field");
                }
                if (!Hex.isBytes32(hash)) {
                    throw MarketError.validation("orderHash must be a bytes32 hexstring");
                }
                StoredOrder o = book.get(hash.toLowerCase(Locale.ROOT));
                if (o == null || remaining(o).signum() <= 0) {
                    throw MarketError.business(kind.apiName() + " with orderHash " + hash + " is not published");
                }
                if (!o.signer().equals(authorized)) {
                    throw MarketError.business("only order signer " + Keys.toChecksumAddress(o.signer()) + " can unpublish an order");
                }
                removed.add(o);
            }
            case "unpublish_last", "unpublish_all" -> {
                String field = kind.addressField();
                String resource = body.path(field).asText(null);
                if (resource == null || !Hex.isAddress(resource)) {
                    throw MarketError.validation(field + " is a required field");
                }
                String res = resource.toLowerCase(Locale.ROOT);
                List<StoredOrder> mine = openOrders(kind).stream()
                        .filter(o -> o.signer().equals(authorized) && o.order().address().equals(res))
                        .sorted(Comparator.comparing(StoredOrder::publicationTimestamp).reversed()).toList();
                if (mine.isEmpty()) {
                    throw MarketError.business("no open " + kind.apiName() + " published by signer "
                            + Keys.toChecksumAddress(authorized) + " for " + field + " " + Keys.toChecksumAddress(res));
                }
                removed.addAll(target.equals("unpublish_last") ? mine.subList(0, 1) : mine);
            }
            default -> throw MarketError.validation("target must be one of the following values: "
                    + "unpublish_orderHash, unpublish_last, unpublish_all");
        }
        removed.forEach(o -> book.remove(o.orderHash()));
        ObjectNode res = JSON.createObjectNode();
        ArrayNode arr = res.putArray("unpublished");
        removed.forEach(o -> arr.add(o.orderHash()));
        return res;
    }

    private ObjectNode one(OrderKind kind, String hash) {
        if (!Hex.isBytes32(hash)) {
            throw MarketError.validation("orderHash must be a bytes32 hexstring");
        }
        StoredOrder o = orders.get(kind).get(hash.toLowerCase(Locale.ROOT));
        if (o == null) {
            throw MarketError.notFound(kind.apiName() + " not found");
        }
        return toJson(o);
    }

    private ObjectNode orderbook(OrderKind kind, Map<String, String> q) {
        OrderFilter.Match match = OrderFilter.parse(kind, q);
        BigInteger pageIndex = OrderFilter.uint(q, "pageIndex");
        BigInteger pageSizeQ = OrderFilter.uint(q, "pageSize");
        int pageSize = pageSizeQ == null ? DEFAULT_PAGE_SIZE : pageSizeQ.intValueExact();
        if (pageSize < 10 || pageSize > 1000) {
            throw MarketError.validation("pageSize must be between 10 and 1000");
        }
        String priceField = switch (kind) {
            case APP -> "appprice";
            case DATASET -> "datasetprice";
            case WORKERPOOL -> "workerpoolprice";
            case REQUEST -> "workerpoolmaxprice";
        };
        List<StoredOrder> all = orders.get(kind).values().stream()
                .filter(o -> {
                    BigInteger r = remaining(o);
                    return r.signum() > 0 && match.test(o, r);
                })
                .sorted(Comparator.<StoredOrder, BigInteger>comparing(o -> (BigInteger) o.order().values().get(priceField))
                        .thenComparing(StoredOrder::publicationTimestamp).thenComparing(StoredOrder::orderHash))
                .toList();
        int skip = pageIndex == null ? 0 : pageIndex.intValueExact() * pageSize;
        List<StoredOrder> page = all.stream().skip(skip).limit(pageSize).toList();
        ObjectNode res = JSON.createObjectNode();
        ArrayNode arr = res.putArray("orders");
        page.forEach(o -> arr.add(toJson(o)));
        res.put("count", all.size());
        if (page.size() == pageSize) {
            res.put("nextPage", skip + pageSize);
        }
        return res;
    }

    private BigInteger remaining(StoredOrder o) {
        return o.order().volume().subtract(chain.consumed(o.orderHash())).max(BigInteger.ZERO);
    }

    private ObjectNode toJson(StoredOrder o) {
        BigInteger remaining = remaining(o);
        ObjectNode n = JSON.createObjectNode();
        n.put("orderHash", o.orderHash());
        n.put("chainId", chainId);
        n.set("order", OrderJson.toMarketJson(o.order()));
        if (remaining.bitLength() < 53) {
            n.put("remaining", remaining.longValue());
        } else {
            n.put("remaining", remaining.toString());
        }
        n.put("status", remaining.signum() > 0 ? "open" : "filled");
        n.put("publicationTimestamp", o.publicationTimestamp());
        n.put("signer", Keys.toChecksumAddress(o.signer()));
        return n;
    }

    private static JsonNode readJson(HttpExchange ex) throws IOException {
        byte[] body = LoopbackHttp.readBody(ex, 1 << 20);
        if (body == null) {
            throw MarketError.validation("request body too large");
        }
        try {
            JsonNode n = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            if (!n.isObject()) {
                throw MarketError.validation("body must be a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw MarketError.validation("body is not valid JSON");
        }
    }

    private static ObjectNode reorderOk(ObjectNode body) {
        ObjectNode out = JSON.createObjectNode().put("ok", true);
        Map<String, JsonNode> rest = new LinkedHashMap<>();
        body.fields().forEachRemaining(e -> rest.put(e.getKey(), e.getValue()));
        rest.remove("ok");
        rest.forEach(out::set);
        return out;
    }

    private static String randomText() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
