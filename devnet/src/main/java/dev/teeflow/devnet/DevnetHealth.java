package dev.teeflow.devnet;

import dev.teeflow.protocol.devnet.DevnetInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Asks each component of a running devnet whether it answers: the RPC its chain id, the services HTTP. */
public final class DevnetHealth {
    /** One component's answer: {@code detail} says what answered or what went wrong. */
    public record Probe(String component, String url, boolean healthy, String detail) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private DevnetHealth() {
    }

    /** Every component, the workerpool's task API last. */
    public static List<Probe> check(DevnetInfo info) {
        List<Probe> out = checkServices(info);
        Probe api = http("workerpool API", info.workerpoolApi(), "/");
        out.add(api.healthy() ? api : new Probe(api.component(), api.url(), false, api.detail()
                + ": no workerpool component installed? orders are published but tasks will not run"));
        return out;
    }

    /** The chain and the services that are always part of a devnet (not the pluggable workerpool). */
    public static List<Probe> checkServices(DevnetInfo info) {
        List<Probe> out = new ArrayList<>();
        out.add(rpc(info));
        out.add(http("SMS", info.sms(), "/actuator/health"));
        out.add(http("market API", info.market(), "/version"));
        out.add(http("result storage", info.ipfsGateway(), "/ipfs/"));
        out.add(http("git host", info.gitHost(), "/"));
        return out;
    }

    public static boolean allHealthy(List<Probe> probes) {
        return probes.stream().allMatch(Probe::healthy);
    }

    private static Probe rpc(DevnetInfo info) {
        try {
            HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(info.rpc()))
                    .timeout(Duration.ofSeconds(3)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String expected = "0x" + Long.toHexString(info.chainId());
            boolean ok = res.statusCode() == 200 && res.body().contains("\"" + expected + "\"");
            return new Probe("chain RPC", info.rpc(), ok, ok ? "eth_chainId " + info.chainId()
                    : "answered " + res.statusCode() + " " + abbreviate(res.body()) + ", expected chain id " + expected);
        } catch (IOException e) {
            return new Probe("chain RPC", info.rpc(), false, "unreachable (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe("chain RPC", info.rpc(), false, "interrupted");
        }
    }

    /** Healthy = any HTTP answer below 500 (a 404 on a probe path still proves the server is up). */
    private static Probe http(String component, String base, String path) {
        try {
            HttpResponse<Void> res = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
            boolean ok = res.statusCode() < 500;
            return new Probe(component, base, ok, "HTTP " + res.statusCode());
        } catch (IOException e) {
            return new Probe(component, base, false, "unreachable (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(component, base, false, "interrupted");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
